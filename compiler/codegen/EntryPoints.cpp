// EntryPoints.cpp - the gradc_runtime.h functions and globals of a model.
// SPDX-License-Identifier: MIT
//
// Each entry point unpacks its C arguments, binds them to the graph's leaves
// (parameters and states in graph order, which is the config's order; hyper
// leaves in graph order from args->hyper) and names the destination of every
// output the runtime reads: "new.<leaf>" goes into that leaf's buffer, the
// metrics into out_metrics in the caller's order, "loss" or "prediction"
// into `out`. The module also defines `<model>_config` and `<model>_model`.

#include "codegen/Codegen.h"
#include "codegen/Lowering.h"
#include "codegen/Outline.h"

#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

using namespace llvm;

namespace gradc::codegen {

using ir::OpKind;

namespace {
/// Field numbers of gradc_step_args.
enum StepArgField {
  kParams, kState, kX, kY, kBatch, kStep, kSeed, kHyper, kMetrics,
};

Error codegenError(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), "codegen: " + message);
}

StructType *stepArgsType(LLVMContext &ctx) {
  Type *ptr = PointerType::get(ctx, 0), *i64 = Type::getInt64Ty(ctx);
  return StructType::get(ctx, {ptr, ptr, ptr, ptr, i64, i64, i64, ptr, ptr});
}

Function *createEntry(Module &m, TargetMachine &target, const Twine &name,
                      ArrayRef<Type *> params) {
  auto *type = FunctionType::get(Type::getVoidTy(m.getContext()), params,
                                 false);
  Function *fn =
      Function::Create(type, GlobalValue::ExternalLinkage, name, m);
  fn->addFnAttr("target-cpu", target.getTargetCPU());
  fn->addFnAttr("target-features", target.getTargetFeatureString());
  fn->addFnAttr(Attribute::NoUnwind);
  // The kernels are long FMA loops: use the full width of AVX-512, which
  // the x86 cost model otherwise caps at 256 bits for these CPUs.
  if (target.getMCSubtargetInfo()->checkFeatures("+avx512f"))
    fn->addFnAttr("prefer-vector-width", "512");
  BasicBlock::Create(m.getContext(), "entry", fn);
  return fn;
}

// The width of the vector registers kernels tile for: the 512 bits that
// createEntry asks for on AVX-512, 256 with AVX, else 128.
unsigned registerBits(TargetMachine &target) {
  const MCSubtargetInfo &subtarget = *target.getMCSubtargetInfo();
  if (subtarget.checkFeatures("+avx512f"))
    return 512;
  return subtarget.checkFeatures("+avx") ? 256 : 128;
}

// Every entry point lowers with FMA contraction allowed.
void allowContraction(IRBuilder<> &b) {
  FastMathFlags flags;
  flags.setAllowContract(true);
  b.setFastMathFlags(flags);
}

Value *loadPointer(IRBuilder<> &b, Value *array, unsigned i) {
  Value *at = b.CreateConstInBoundsGEP1_64(b.getPtrTy(), array, i);
  return b.CreateLoad(b.getPtrTy(), at);
}

/// Run-time values of an entry point that the graph's leaves bind to.
struct LeafSources {
  Value *params = nullptr, *state = nullptr, *x = nullptr, *y = nullptr;
  Value *hyper = nullptr, *batch = nullptr, *step = nullptr;
};

Error bindLeaves(GraphLowering &L, const ir::Graph &graph,
                 const LeafSources &src) {
  IRBuilder<> &b = L.b;
  unsigned params = 0, states = 0, hypers = 0;
  for (const auto &node : graph.nodes()) {
    const Node *n = node.get();
    Type *elem = L.elemType(n);
    switch (n->kind) {
    case OpKind::Param:
      L.bindBuffer(n, loadPointer(b, src.params, params++));
      break;
    case OpKind::State:
      if (!src.state)
        return codegenError("state leaf %" + n->name + " outside training");
      L.bindBuffer(n, loadPointer(b, src.state, states++));
      break;
    case OpKind::Input:
      if (n->name != "x" && n->name != "y")
        return codegenError("unknown input %" + n->name);
      L.bindBuffer(n, n->name == "x" ? src.x : src.y);
      break;
    case OpKind::Hyper: {
      Value *v = L.real(n, n->realAttr("value"));
      if (src.hyper) {
        Value *at = b.CreateConstInBoundsGEP1_64(b.getFloatTy(), src.hyper,
                                                 hypers++);
        v = b.CreateFPCast(b.CreateLoad(b.getFloatTy(), at), elem);
      }
      L.bindScalar(n, v);
      break;
    }
    case OpKind::BatchSize:
      L.bindScalar(n, b.CreateSIToFP(src.batch, elem));
      break;
    case OpKind::StepCounter:
      L.bindScalar(n, b.CreateSIToFP(src.step, elem));
      break;
    default:
      break;
    }
  }
  return Error::success();
}

const Node *findLeaf(const ir::Graph &graph, StringRef name) {
  const Node *n = graph.find(name.str());
  if (n && (n->kind == OpKind::Param || n->kind == OpKind::State))
    return n;
  return nullptr;
}

Error lowerTrain(Module &m, KernelOutliner &outliner, const ModelGraphs &model,
                 Function *fn, unsigned vectorBits, bool optimized) {
  const ir::Graph &graph = *model.train;
  IRBuilder<> b(&fn->getEntryBlock());
  allowContraction(b);
  StructType *argsType = stepArgsType(m.getContext());
  auto field = [&](StepArgField i, Type *type) {
    return b.CreateLoad(type, b.CreateStructGEP(argsType, fn->getArg(1), i));
  };
  LeafSources src;
  src.params = field(kParams, b.getPtrTy());
  src.state = field(kState, b.getPtrTy());
  src.x = field(kX, b.getPtrTy());
  src.y = field(kY, b.getPtrTy());
  src.batch = field(kBatch, b.getInt64Ty());
  src.step = field(kStep, b.getInt64Ty());
  src.hyper = field(kHyper, b.getPtrTy());
  Value *seed = field(kSeed, b.getInt64Ty());
  Value *metrics = field(kMetrics, b.getPtrTy());

  GraphLowering L(b, graph, model.maxBatch, outliner);
  L.setRunValues(src.batch, src.step, seed);
  L.setTarget(vectorBits, optimized);
  if (Error err = bindLeaves(L, graph, src))
    return err;
  for (const ir::GraphOutput &out : graph.outputs()) {
    StringRef name(out.name);
    if (!name.consume_front("new."))
      continue;
    const Node *leaf = findLeaf(graph, name);
    if (!leaf)
      return codegenError("output " + out.name + " names no param or state");
    L.addOutput(out.value, L.bufferOf(leaf), leaf);
  }
  for (size_t k = 0; k < model.metrics.size(); ++k) {
    const Node *value = graph.output(model.metrics[k]);
    if (!value)
      return codegenError("metric '" + model.metrics[k] +
                          "' is not an output of the train graph");
    L.addOutput(value, b.CreateConstInBoundsGEP1_64(b.getFloatTy(), metrics,
                                                    k));
  }
  if (Error err = L.lower())
    return err;
  b.CreateRetVoid();
  return Error::success();
}

// eval_step and predict: one output into `out`.
Error lowerForward(KernelOutliner &outliner, const ModelGraphs &model,
                   const ir::Graph &graph, Function *fn, bool withTargets,
                   StringRef outputName, unsigned vectorBits,
                   bool optimized) {
  IRBuilder<> b(&fn->getEntryBlock());
  allowContraction(b);
  LeafSources src;
  unsigned arg = 1;
  src.params = fn->getArg(arg++);
  src.x = fn->getArg(arg++);
  src.y = withTargets ? fn->getArg(arg++) : nullptr;
  src.batch = fn->getArg(arg++);
  src.step = b.getInt64(0);
  Value *out = fn->getArg(arg);

  GraphLowering L(b, graph, model.maxBatch, outliner);
  L.setRunValues(src.batch, src.step, b.getInt64(0));
  L.setTarget(vectorBits, optimized);
  if (Error err = bindLeaves(L, graph, src))
    return err;
  const Node *value = graph.output(outputName.str());
  if (!value)
    return codegenError("graph @" + graph.name() + " has no output '" +
                        outputName + "'");
  L.addOutput(value, out);
  if (Error err = L.lower())
    return err;
  b.CreateRetVoid();
  return Error::success();
}

// A missing graph gives an entry point that traps when called.
void emitTrap(Function *fn) {
  IRBuilder<> b(&fn->getEntryBlock());
  b.CreateIntrinsic(Intrinsic::trap, {}, {});
  b.CreateUnreachable();
}

void emitGlobals(Module &m, const ModelGraphs &model,
                 ArrayRef<Function *> entries) {
  LLVMContext &ctx = m.getContext();
  Constant *text = ConstantDataArray::getString(ctx, model.configJson);
  auto *config = new GlobalVariable(m, text->getType(), true,
                                    GlobalValue::ExternalLinkage, text,
                                    model.name + "_config");
  Type *ptr = PointerType::get(ctx, 0);
  auto *type = StructType::get(ctx, {ptr, ptr, ptr, ptr, ptr});
  Constant *noContext = ConstantPointerNull::get(cast<PointerType>(ptr));
  Constant *fields[] = {config, noContext, entries[0], entries[1],
                        entries[2]};
  new GlobalVariable(m, type, false, GlobalValue::ExternalLinkage,
                     ConstantStruct::get(type, fields), model.name + "_model");
}
} // namespace

Expected<std::unique_ptr<Module>> lowerModel(const ModelGraphs &model,
                                             LLVMContext &ctx,
                                             TargetMachine &target) {
  auto m = std::make_unique<Module>(model.name, ctx);
  m->setTargetTriple(target.getTargetTriple().str());
  m->setDataLayout(target.createDataLayout());
  Type *ptr = PointerType::get(ctx, 0), *i64 = Type::getInt64Ty(ctx);
  Function *train = createEntry(*m, target, model.name + "_train_step",
                                {ptr, ptr});
  Function *eval = createEntry(*m, target, model.name + "_eval_step",
                               {ptr, ptr, ptr, ptr, i64, ptr});
  Function *predict = createEntry(*m, target, model.name + "_predict",
                                  {ptr, ptr, ptr, i64, ptr});

  KernelOutliner outliner;
  unsigned bits = registerBits(target);
  bool optimized = target.getOptLevel() != CodeGenOptLevel::None;
  if (!model.train)
    emitTrap(train);
  else if (Error err = lowerTrain(*m, outliner, model, train, bits,
                                  optimized))
    return std::move(err);
  if (!model.eval)
    emitTrap(eval);
  else if (Error err = lowerForward(outliner, model, *model.eval, eval, true,
                                    "loss", bits, optimized))
    return std::move(err);
  if (!model.predict)
    emitTrap(predict);
  else if (Error err = lowerForward(outliner, model, *model.predict, predict,
                                    false, "prediction", bits, optimized))
    return std::move(err);
  emitGlobals(*m, model, {train, eval, predict});

  std::string problems;
  raw_string_ostream os(problems);
  if (verifyModule(*m, &os))
    return codegenError("invalid LLVM IR: " + problems);
  return std::move(m);
}

} // namespace gradc::codegen
