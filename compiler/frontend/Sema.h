// Sema.h - semantic analysis of a built AST: shapes, params, cross-checks.
// SPDX-License-Identifier: MIT
//
// Sema infers the per-row shape through every model (conv and pool output
// sizes, flatten, embedding, lstm), fills each layer's parameter list with
// Keras names, shapes, initializers and fans, and checks what needs more
// than one statement: train blocks against their model, clip layers and
// conflicts, the loss against the last activation.

#ifndef GRADC_FRONTEND_SEMA_H
#define GRADC_FRONTEND_SEMA_H

#include "frontend/AST.h"
#include "frontend/Diagnostics.h"

#include <optional>

namespace gradc::frontend {

/// Checks and completes `program`; errors go to `diags`.
void analyzeProgram(ast::Program &program, DiagnosticEngine &diags);

/// Infers the output shape of `layer` from `input` and fills its params.
/// Reports an error and gives std::nullopt when the input does not fit.
std::optional<std::vector<int64_t>>
inferLayer(ast::Layer &layer, const std::vector<int64_t> &input,
           DiagnosticEngine &diags);

/// "[28, 28, 1]".
std::string shapeText(const std::vector<int64_t> &shape);

} // namespace gradc::frontend

#endif // GRADC_FRONTEND_SEMA_H
