// Sema.h - semantic analysis of a built AST: shapes, params, cross-checks.
// SPDX-License-Identifier: MIT
//
// Sema infers the per-row shape through every model (conv and pool output
// sizes, flatten, embedding, lstm), fills each layer's parameter list with
// Keras names, shapes, initializers and fans, and checks what needs more
// than one statement: train blocks against their model, clip layers and
// conflicts, the loss against the last activation. It also bounds sizes, so
// that every element count, byte size and arena offset computed later from
// a shape stays far from int64 overflow.

#ifndef GRADC_FRONTEND_SEMA_H
#define GRADC_FRONTEND_SEMA_H

#include "frontend/AST.h"
#include "frontend/Diagnostics.h"

#include <optional>

namespace gradc::frontend {

/// The most elements of one tensor: a parameter, one row of an activation,
/// or a whole batch of rows at the train block's batch size. 2^31 elements
/// are 8 GiB of f32, more than one CPU trains; byte sizes (up to 8 bytes an
/// element) summed over all of a step's buffers stay far inside int64.
constexpr int64_t MaxTensorElements = int64_t(1) << 31;

/// The most parameter elements of one model, over all of its layers.
/// Training holds up to three more of each (gradient, optimizer slots).
constexpr int64_t MaxModelParams = int64_t(1) << 31;

/// Checks and completes `program`; errors go to `diags`.
void analyzeProgram(ast::Program &program, DiagnosticEngine &diags);

/// Infers the output shape of `layer` from `input` and fills its params.
/// Reports an error and gives std::nullopt when the input does not fit.
std::optional<std::vector<int64_t>>
inferLayer(ast::Layer &layer, const std::vector<int64_t> &input,
           DiagnosticEngine &diags);

/// "[28, 28, 1]".
std::string shapeText(const std::vector<int64_t> &shape);

/// The number of elements of `shape`, or std::nullopt past int64.
std::optional<int64_t> elementCount(const std::vector<int64_t> &shape);

/// Reports an error at `at` and gives false when a tensor of `shape`, named
/// `what` in the message ("dense_1.kernel"), has more than
/// MaxTensorElements elements.
bool checkTensorSize(const std::string &what, const std::vector<int64_t> &shape,
                     const ast::SourceSpan &at, DiagnosticEngine &diags);

/// Where the value of the layer's option `key` is written, or the layer's
/// keyword when the option is not given.
ast::SourceSpan optionSpan(const ast::Layer &layer, const std::string &key);

} // namespace gradc::frontend

#endif // GRADC_FRONTEND_SEMA_H
