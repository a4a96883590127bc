// MatMulTile.cpp - C = A * B with a tile of C in vector registers.
// SPDX-License-Identifier: MIT
//
// C is cut into tiles of kTileRows rows by kTileVectors vector registers of
// columns. A tile's accumulators live in registers while k runs over a
// block of K; each step loads the tile's row of B once, broadcasts one
// element of A per row and does one multiply-add per accumulator, with no
// load or store of C. K is cut into blocks whose panel of B (block depth x
// tile width) fits in half of L1, and the loops run block, column tile,
// row tile, so a panel is reused by every row tile while it is cached. The
// panel is first copied into a contiguous stack buffer: rows of B a power
// of two apart (N = 512) would otherwise all fall into a few sets of L1
// and evict each other, and an operand computed inside the kernel is
// evaluated once per panel instead of once per row tile. When K fits one
// block the accumulators start from zero and C is only written; otherwise C
// is zeroed first and every block's accumulators start from C's partial
// sums. Either way each element is summed from +0 in increasing k order:
// blocking changes where partial sums are kept, not how they round.
//
// The columns left over after the whole tiles (N is a constant) form one
// narrower tile: whole vectors, then one short vector for the rest. Rows
// left over (M may be the batch) are done one at a time.

#include "codegen/MatMul.h"

using namespace llvm;

namespace gradc::codegen {

namespace {
constexpr int64_t kTileRows = 6;
constexpr unsigned kTileVectors = 2;
constexpr int64_t kPanelBytes = 16 * 1024;

/// A band of columns of C: `widths` vectors side by side from column `n0`.
struct Columns {
  Value *n0;
  SmallVector<unsigned, 4> widths;

  /// The first column of vector `chunk`, counted from n0; the band's width
  /// for chunk == widths.size().
  unsigned offset(size_t chunk) const {
    unsigned sum = 0;
    for (size_t j = 0; j < chunk; ++j)
      sum += widths[j];
    return sum;
  }
};

class TiledMatMul {
public:
  TiledMatMul(GraphLowering &L, const Node *c, const MatMulShape &s)
      : L(L), b(L.b), c(c), s(s) {
    unsigned elemBits = L.elemType(c)->getPrimitiveSizeInBits();
    lanes = std::max(1u, L.vectorBits() / elemBits);
    elemAlign = Align(elemBits / 8);
    tileWidth = int64_t(lanes) * kTileVectors;
    depth = std::max<int64_t>(1, kPanelBytes / (tileWidth * elemBits / 8));
    auto *constK = dyn_cast<ConstantInt>(s.k);
    fromZero = constK && constK->getSExtValue() <= depth;
  }

  void emit();

private:
  void pack(const Columns &cols, Value *k0, Value *k1);
  void columnTiles(Value *k0, Value *k1);
  void rowTiles(const Columns &cols, Value *k0, Value *k1);
  void tile(const Columns &cols, Value *m0, int64_t rows, Value *k0, Value *k1);
  Value *multiplyAdd(Value *a, Value *bv, Value *acc);
  Value *loadB(Value *k, Value *n, unsigned width);
  Value *panelAt(const Columns &cols, Value *dk, unsigned chunk);
  Value *addressC(Value *m, Value *n);
  VectorType *vec(unsigned width) {
    return FixedVectorType::get(L.elemType(c), width);
  }

  GraphLowering &L;
  IRBuilder<> &b;
  const Node *c;
  const MatMulShape &s;
  unsigned lanes;
  Align elemAlign;
  int64_t tileWidth, depth;
  Value *panel = nullptr; // [depth][tileWidth], the current panel of B
  bool fromZero; // K fits one block: accumulators start at zero, C unread
};

// Blocks of K in order; within each, every column tile.
void TiledMatMul::emit() {
  if (!fromZero)
    L.fill(c, 0.0);
  auto *slot = cast<AllocaInst>(
      L.localSlot(ArrayType::get(L.elemType(c), uint64_t(depth * tileWidth))));
  slot->setAlignment(Align(64));
  panel = slot;
  Value *blocks =
      b.CreateUDiv(b.CreateAdd(s.k, L.i64(depth - 1)), L.i64(depth));
  L.loop(blocks, [&](Value *blk) {
    Value *k0 = b.CreateMul(blk, L.i64(depth));
    Value *k1 = b.CreateAdd(k0, L.i64(depth));
    k1 = b.CreateSelect(b.CreateICmpSLT(k1, s.k), k1, s.k);
    columnTiles(k0, k1);
  });
}

void TiledMatMul::columnTiles(Value *k0, Value *k1) {
  int64_t whole = s.n / tileWidth;
  if (whole > 0)
    L.loop(L.i64(whole), [&](Value *t) {
      Columns cols{b.CreateMul(t, L.i64(tileWidth)), {}};
      cols.widths.assign(kTileVectors, lanes);
      rowTiles(cols, k0, k1);
    });
  int64_t rest = s.n - whole * tileWidth;
  if (rest == 0)
    return;
  Columns cols{L.i64(whole * tileWidth), {}};
  for (; rest >= lanes; rest -= lanes)
    cols.widths.push_back(lanes);
  if (rest > 0)
    cols.widths.push_back(unsigned(rest));
  rowTiles(cols, k0, k1);
}

// Rows [k0, k1) of B's columns `cols`, copied into the panel buffer.
void TiledMatMul::pack(const Columns &cols, Value *k0, Value *k1) {
  for (unsigned j = 0; j < cols.widths.size(); ++j) {
    Value *n = b.CreateAdd(cols.n0, L.i64(cols.offset(j)));
    BranchInst *backEdge = L.loop(b.CreateSub(k1, k0), [&](Value *dk) {
      Value *row = loadB(b.CreateAdd(k0, dk), n, cols.widths[j]);
      b.CreateAlignedStore(row, panelAt(cols, dk, j), elemAlign);
    });
    GraphLowering::keepRolled(backEdge);
  }
}

void TiledMatMul::rowTiles(const Columns &cols, Value *k0, Value *k1) {
  pack(cols, k0, k1);
  Value *tiles = b.CreateUDiv(s.m, L.i64(kTileRows));
  L.loop(tiles, [&](Value *t) {
    tile(cols, b.CreateMul(t, L.i64(kTileRows)), kTileRows, k0, k1);
  });
  Value *done = b.CreateMul(tiles, L.i64(kTileRows));
  L.loop(b.CreateSub(s.m, done),
         [&](Value *r) { tile(cols, b.CreateAdd(done, r), 1, k0, k1); });
}

// C[m0 + r, cols] for r < rows, over k in [k0, k1). The accumulators are
// stack slots that SROA turns into registers (phis of the k loop).
void TiledMatMul::tile(const Columns &cols, Value *m0, int64_t rows, Value *k0,
                       Value *k1) {
  SmallVector<Value *, kTileRows> ms;
  SmallVector<Value *, kTileRows * 4> slots, ns;
  for (size_t j = 0; j < cols.widths.size(); ++j)
    ns.push_back(b.CreateAdd(cols.n0, L.i64(cols.offset(j))));
  for (int64_t r = 0; r < rows; ++r) {
    ms.push_back(b.CreateAdd(m0, L.i64(r)));
    for (auto [width, n] : zip(cols.widths, ns)) {
      slots.push_back(L.localSlot(vec(width)));
      Value *init = Constant::getNullValue(vec(width));
      if (!fromZero)
        init = b.CreateAlignedLoad(vec(width), addressC(ms[r], n), elemAlign);
      b.CreateStore(init, slots.back());
    }
  }

  BranchInst *backEdge = L.loop(b.CreateSub(k1, k0), [&](Value *dk) {
    Value *k = b.CreateAdd(k0, dk);
    SmallVector<Value *, 4> bs;
    for (unsigned j = 0; j < cols.widths.size(); ++j)
      bs.push_back(b.CreateAlignedLoad(vec(cols.widths[j]),
                                       panelAt(cols, dk, j), elemAlign));
    for (int64_t r = 0; r < rows; ++r) {
      Value *a = readA(L, s, ms[r], k);
      for (unsigned j = 0; j < bs.size(); ++j) {
        Value *slot = slots[r * bs.size() + j];
        unsigned width = cols.widths[j];
        Value *acc = b.CreateLoad(vec(width), slot);
        Value *as = b.CreateVectorSplat(width, a);
        b.CreateStore(multiplyAdd(as, bs[j], acc), slot);
      }
    }
  });
  GraphLowering::keepRolled(backEdge);

  for (int64_t r = 0; r < rows; ++r)
    for (unsigned j = 0; j < ns.size(); ++j) {
      Value *sum = b.CreateLoad(vec(cols.widths[j]), slots[r * ns.size() + j]);
      b.CreateAlignedStore(sum, addressC(ms[r], ns[j]), elemAlign);
    }
}

// acc + a * b, contractable where the loop it replaces would contract:
// unoptimized instruction selection fuses vector a * b + c but not scalar,
// and that loop is scalar at -O0.
Value *TiledMatMul::multiplyAdd(Value *a, Value *bv, Value *acc) {
  IRBuilder<>::FastMathFlagGuard guard(b);
  if (!L.optimized())
    b.clearFastMathFlags();
  return b.CreateFAdd(acc, b.CreateFMul(a, bv));
}

// B[k, n .. n + width): one vector load from a buffer, otherwise the
// elements one by one (an operand computed inside this loop).
Value *TiledMatMul::loadB(Value *k, Value *n, unsigned width) {
  StorageKind kind = L.storageKind(s.b);
  if (kind == StorageKind::Buffer || kind == StorageKind::Alias) {
    Value *at = L.address(s.b, L.linearize(s.b, {k, n}));
    return b.CreateAlignedLoad(vec(width), at, elemAlign);
  }
  Value *row = PoisonValue::get(vec(width));
  for (unsigned j = 0; j < width; ++j)
    row = b.CreateInsertElement(row, readB(L, s, k, b.CreateAdd(n, L.i64(j))),
                                uint64_t(j));
  return row;
}

// The address of chunk `chunk` of row `dk` of the panel, whose rows are
// as wide as the band `cols`.
Value *TiledMatMul::panelAt(const Columns &cols, Value *dk, unsigned chunk) {
  unsigned width = cols.offset(cols.widths.size());
  Value *at =
      b.CreateAdd(b.CreateMul(dk, L.i64(width)), L.i64(cols.offset(chunk)));
  return b.CreateInBoundsGEP(L.elemType(c), panel, at);
}

Value *TiledMatMul::addressC(Value *m, Value *n) {
  return L.address(c, L.linearize(c, {m, n}));
}
} // namespace

void lowerTiledMatMul(GraphLowering &L, const Node *c, const MatMulShape &s) {
  TiledMatMul(L, c, s).emit();
}

} // namespace gradc::codegen
