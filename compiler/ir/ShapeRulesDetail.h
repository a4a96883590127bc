// ShapeRulesDetail.h - helpers shared by the files that implement ShapeRules.
// SPDX-License-Identifier: MIT
//
// Not part of the IR interface: attribute lookup on a bare AttrMap, the rule
// signature, and the rules of the neural-network ops that live in
// ShapeRulesNN.cpp.

#ifndef GRADC_IR_SHAPERULESDETAIL_H
#define GRADC_IR_SHAPERULESDETAIL_H

#include "ir/ShapeRules.h"

#include "llvm/ADT/Twine.h"

namespace gradc::ir::detail {

using Operands = llvm::ArrayRef<const Type *>;

inline llvm::Error shapeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

inline const Attr *findAttr(const AttrMap &attrs, const std::string &key) {
  auto it = attrs.find(key);
  return it == attrs.end() ? nullptr : &it->second;
}

int64_t intAttr(const AttrMap &attrs, const std::string &key, int64_t fallback);
double realAttr(const AttrMap &attrs, const std::string &key, double fallback);
std::string strAttr(const AttrMap &attrs, const std::string &key,
                    const std::string &fallback);
/// A list attribute, or `fallback` when it is missing.
std::vector<int64_t> listAttr(const AttrMap &attrs, const std::string &key,
                              std::vector<int64_t> fallback);

llvm::Expected<Type> matmulRule(Operands ops, const AttrMap &attrs);
llvm::Expected<Type> conv2dRule(Operands ops, const AttrMap &attrs);
llvm::Expected<Type> conv2dGradInputRule(Operands ops, const AttrMap &attrs,
                                         const Type &declared);
llvm::Expected<Type> conv2dGradKernelRule(Operands ops, const AttrMap &attrs,
                                          const Type &declared);
llvm::Expected<Type> maxPoolRule(Operands ops, const AttrMap &attrs);
llvm::Expected<Type> maxPoolGradRule(Operands ops, const AttrMap &attrs);
llvm::Expected<Type> oneHotRule(Operands ops, const AttrMap &attrs);
llvm::Expected<Type> gatherRule(Operands ops);
llvm::Expected<Type> scatterAddRule(Operands ops, const AttrMap &attrs);
llvm::Expected<Type> dropoutMaskRule(Operands ops, const AttrMap &attrs,
                                     const Type &declared);

} // namespace gradc::ir::detail

#endif // GRADC_IR_SHAPERULESDETAIL_H
