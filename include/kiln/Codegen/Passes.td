//===- Passes.td - Kiln code generation passes -------------*- tablegen -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CODEGEN_PASSES_TD
#define KILN_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def KilnFoldTransposeIntoMatmul : Pass<"kiln-fold-transpose-into-matmul"> {
  let summary = "Read a transposed left matmul operand in place";
  let description = [{
    On tensors, a `linalg.transpose` that swaps the two matrix dimensions of
    the left operand of a `linalg.matmul` (permutation `[1, 0]`) or a
    `linalg.batch_matmul` (`[0, 2, 1]`) is folded into the product, which
    becomes `linalg.matmul_transpose_a` or `linalg.batch_matmul_transpose_a`
    reading the untransposed tensor. The transposed copy is no longer
    needed (unless something else uses it). Gradients of matmuls produce this
    pattern (`xᵀ · dy`).

    A transposed *right* operand is left alone: the vectorized products read
    the right operand along rows, so `kiln-vectorize-transposes` makes its
    copy cheap instead.

    Before:
    ```mlir
    %t = linalg.transpose ins(%x : tensor<128x784xf32>)
        outs(%e : tensor<784x128xf32>) permutation = [1, 0]
    %p = linalg.matmul ins(%t, %dy : tensor<784x128xf32>, tensor<128x512xf32>)
        outs(%z : tensor<784x512xf32>) -> tensor<784x512xf32>
    ```
    After:
    ```mlir
    %p = linalg.matmul_transpose_a
        ins(%x, %dy : tensor<128x784xf32>, tensor<128x512xf32>)
        outs(%z : tensor<784x512xf32>) -> tensor<784x512xf32>
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def KilnFuseElementwise : Pass<"kiln-fuse-elementwise"> {
  let summary = "Fuse elementwise producers into their consumers, with a "
                "report of every decision";
  let description = [{
    On linalg ops on tensors, fuses each `linalg.generic` whose loops are
    all parallel into the `linalg.generic` that consumes its result (an
    elementwise op, or a reduction such as softmax's sums or a loss),
    when the consumer reads it through a permutation: elementwise chains,
    broadcasts into their consumers, elementwise producers into reductions,
    and the same chains in the backward pass. Kiln's policy decides:

    - fuse when every use of the producer is in this consumer, so no work
      is duplicated;
    - fuse a producer that only moves data (its body yields an input
      unchanged: a broadcast, a copy, a transpose) into each consumer.

    Between rounds of fusion, linalg's fusion helpers (fills and splat
    constants folded into generics, unused operands dropped, reshapes
    folded by expansion, constant folding) and canonicalization run.
    The fused op's location fuses the consumer's and the producer's.

    With `report`, every candidate (a tensor value produced by one linalg
    op and consumed by another) gets a remark at the producer's location:
    `fused: ...` with the rule that allowed it, or `not fused: ...` with
    the reason (another use, a contraction or convolution kept whole for
    its kernel, a reduction producer, a windowed read, ...).
    `kilnc --kiln-fusion-report` turns it on. docs/Fusion.md.

    Before:
    ```mlir
    %b = linalg.generic {indexing_maps = [#bias, #id], ...}
        ins(%bias : tensor<512xf32>) outs(%e : tensor<128x512xf32>) {...}
    %s = linalg.generic {indexing_maps = [#id, #id, #id], ...}
        ins(%mm, %b : ...) outs(%e : tensor<128x512xf32>) { addf }
    %r = linalg.generic {indexing_maps = [#id, #id], ...}
        ins(%s : ...) outs(%e : tensor<128x512xf32>) { maximumf }
    ```
    After: one `linalg.generic` reading `%mm` and `%bias` (through
    `#bias`) whose body adds and takes the maximum.
  }];
  let options = [
    Option<"report", "report", "bool", /*default=*/"false",
           "Emit a remark for every fusion candidate: fused or not, and why">,
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def KilnModelLines : Pass<"kiln-model-lines", "::mlir::ModuleOp"> {
  let summary = "Locate every op at the model line it comes from";
  let description = [{
    Replaces each call-site location (`callsite(callee at caller)`, which
    the inliner gives the ops of the forward and gradient functions inlined
    into a training step) by its callee, recursively, and does the same
    inside fused locations. Every op is then located at the model line of
    the `nn` op it was lowered from, rather than at the line of the model's
    function.

    `kilnc -g` runs it after the lowering to LLVM, then
    `ensure-debug-info-scope-on-llvm-func`: the executable's line tables
    name model lines, so `perf report --sort srcline` gives the time spent
    on each line (docs/Performance.md, "Profiling by model line").

    Before: `loc(callsite("model.mlir":40:8 at "model.mlir":18:1))`.
    After: `loc("model.mlir":40:8)`.
  }];
}

def KilnParallelizeLoops
    : Pass<"kiln-parallelize-loops", "::mlir::ModuleOp"> {
  let summary = "Run the outermost loop of large linalg ops on threads";
  let description = [{
    Tiles the outermost loop of each linalg op on buffers that reads and
    writes at least `min-bytes` bytes into at most 8 parts, as an
    `scf.parallel` over the parts (`linalg` tiling with parallel loops), if
    that loop is parallel, has a static extent of at least 2 and the op is
    not inside a parallel loop already. Products are left to
    `kiln-vectorize-contractions`. Loop 0 must appear in the indexing
    maps only as a whole result (each operand is sliced along one
    dimension). The tiled op moves into a private, internal, `noinline`
    function of its own, `_kiln_part_N_FUNC` (also `optsize` if its
    innermost loop has at least 64 iterations), called from the loop body.
    When the buffers the op writes are views of allocations or arguments
    that no other operand shares, the function is marked
    `kiln.distinct_buffers` and the translation to LLVM IR makes its
    pointer arguments `noalias`, which the OpenMP translation's outlined
    loop body would otherwise hide from LLVM's vectorizer. Each part computes whole slices of the
    results with the same loops inside, reductions included, so results do
    not depend on the number of threads. `convert-scf-to-openmp` then runs
    the parts on OpenMP threads with the static schedule (docs/Codegen.md,
    "Threads").

    Before:
    ```mlir
    linalg.generic {...} ins(%x : memref<64x6x28x28xf32>)
                         outs(%y : memref<64x6x28x28xf32>) {...}
    ```
    After:
    ```mlir
    scf.parallel (%i) = (%c0) to (%c64) step (%c8) {
      %xs = memref.subview %x[%i, 0, 0, 0] [8, 6, 28, 28] [1, 1, 1, 1] ...
      %ys = memref.subview %y[%i, 0, 0, 0] [8, 6, 28, 28] [1, 1, 1, 1] ...
      func.call @_kiln_part_0_f(%xs, %ys) : (...) -> ()
    }
    ...
    func.func private @_kiln_part_0_f(%xs: ..., %ys: ...)
        attributes {kiln.distinct_buffers, ...} {
      linalg.generic {...} ins(%xs : ...) outs(%ys : ...) {...}
      return
    }
    ```
  }];
  let options = [
    Option<"minBytes", "min-bytes", "int64_t", /*default=*/"524288",
           "Bytes an op must read and write to run on threads">,
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
  ];
}

def KilnPlanBuffers : Pass<"kiln-plan-buffers", "::mlir::ModuleOp"> {
  let summary = "Place every temporary buffer of an entry point in one "
                "workspace planned at compile time";
  let description = [{
    Static memory planning, after bufferization, buffer deallocation, the
    product and transpose kernels and loop-invariant code motion (which
    keep accumulators in registers only between separate allocations).
    In every exported entry point (`@_kiln_entry_*`), each `memref.alloc`
    with a static shape, an identity layout and a known end of life
    becomes a `memref.view` into one workspace buffer, a new last argument
    `memref<Wxi8>` that the runtime allocates once and passes to every
    call. Its `memref.dealloc` ops go away: a call allocates nothing.

    A buffer lives from its `memref.alloc` to the last use of it or of a
    view of it (`memref.subview`, `memref.collapse_shape`, ...); a use
    inside a loop or another region keeps it alive to the end of that
    region's op, so a buffer read by every iteration of a loop is never
    reused inside the loop. Buffers whose lives do not overlap share
    bytes: the largest buffer is placed first, each at the lowest
    64-byte-aligned offset that no overlapping buffer occupies, with 17
    cache lines between neighbours so that buffers do not start at the same
    address modulo 4 KiB (which costs x86 cores false store-to-load
    dependencies, "4K aliasing"). Buffers
    that escape (returned, passed to a call, carried by a loop) or sit in
    a parallel loop keep their `memref.alloc`.

    The entry's `entry NAME` line in the `kiln.signature` module attribute
    gets `workspace=W` (bytes). With `report`, each entry point gets a
    remark: its arguments' bytes, the workspace, the bytes without reuse,
    the peak, and a remark at every buffer left unplanned, with the reason.
    `kilnc --kiln-memory-report` turns it on. docs/Codegen.md.

    Before:
    ```mlir
    func.func @_kiln_entry_f(%x: memref<64xf32>, %out: memref<64xf32>) {
      %a = memref.alloc() {alignment = 64 : i64} : memref<64xf32>
      linalg.copy ins(%x : memref<64xf32>) outs(%a : memref<64xf32>)
      linalg.copy ins(%a : memref<64xf32>) outs(%out : memref<64xf32>)
      memref.dealloc %a : memref<64xf32>
      return
    }
    ```
    After:
    ```mlir
    func.func @_kiln_entry_f(%x: memref<64xf32>, %out: memref<64xf32>,
                             %ws: memref<256xi8> {kiln.workspace}) {
      %c0 = arith.constant 0 : index
      %a = memref.view %ws[%c0][] : memref<256xi8> to memref<64xf32>
      ...
    }
    ```
  }];
  let options = [
    Option<"report", "report", "bool", /*default=*/"false",
           "Remark on each entry point's memory plan and on every buffer "
           "left unplanned">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

def KilnTileAndFuseProducts
    : Pass<"kiln-tile-and-fuse-products", "::mlir::func::FuncOp"> {
  let summary = "Run a product's elementwise consumer in the product's "
                "cache tiles";
  let description = [{
    On buffers, before `kiln-vectorize-contractions`. A 2-D product
    (`linalg.matmul` or `linalg.matmul_transpose_a` on `f32` buffers of
    static shape) is usually followed by an elementwise `linalg.generic`
    that reads its result C (the *epilogue*: a bias add and an activation
    in the forward pass, an activation's derivative in the backward pass,
    an optimizer update after a weight gradient). Left alone, it is a
    second pass over all of C. This pass tiles the product by `tiles` (M
    and N, default 64 and 128: the cache tiles of
    `kiln-vectorize-contractions`, with peeled remainders) and runs the
    epilogue on each tile of C right after the product computes it, while
    the tile is in the L1 or L2 cache. (The zero fill before the product
    stays one `memset`: run tile by tile, it gained nothing measurable and
    quadrupled LLVM's code generation time.)

    The epilogue is the first op after the product that touches C. The ops
    in between that compute what it uses (a scalar loaded from the step
    count) move before the product, if the product does not touch what they
    read or write; it moves before the others, if they do not touch what it
    reads or writes. It must write one buffer (an update of several, like
    Adam's, streams faster whole), have the
    product's M x N loops, all parallel, read C through the identity map
    (and every other operand through a projected permutation: a bias row,
    a column, a transpose), and write buffers that are neither the
    product's operands nor, other than C itself, anything it reads: each
    tile of the epilogue then sees exactly the values it would see after
    the whole product. Every element is computed by the same operations in
    the same order as before; results are bit-identical.

    With `parallel`, the outermost tile loop of a product of at least
    `parallel-min-flops` whose M, N and K are all at least
    `parallel-min-size` becomes an `scf.parallel` (as in
    `kiln-vectorize-contractions`, whose tile loops these products then no
    longer need), as does the N loop of a thinner product whose right
    operand is a read-only argument of at least 256 KiB. With `report`, a remark at each product says what was
    fused or why the op after it was not.

    Before:
    ```mlir
    linalg.fill ins(%zero : f32) outs(%c : memref<128x512xf32>)
    linalg.matmul ins(%a, %w : memref<128x784xf32>, memref<784x512xf32>)
                  outs(%c : memref<128x512xf32>)
    linalg.generic {...} ins(%c, %bias : memref<128x512xf32>, memref<512xf32>)
                         outs(%d : memref<128x512xf32>) { addf, maximumf }
    ```
    After (abridged):
    ```mlir
    linalg.fill ins(%zero : f32) outs(%c : memref<128x512xf32>)
    scf.for %m = %c0 to %c128 step %c64 {
      scf.for %n = %c0 to %c512 step %c128 {
        %ct = memref.subview %c[%m, %n] [64, 128] [1, 1]
        linalg.matmul ins(%at, %wt : ...) outs(%ct : ...)
        linalg.generic {...} ins(%ct, %bt : ...) outs(%dt : ...)
      }
    }
    ```
  }];
  let options = [
    ListOption<"tiles", "tiles", "int64_t",
               "Tile sizes of M and N (default 64,128)">,
    Option<"parallel", "parallel", "bool", /*default=*/"false",
           "Make the outermost tile loop of large products an scf.parallel">,
    Option<"parallelMinFlops", "parallel-min-flops", "int64_t",
           /*default=*/"4000000",
           "Least 2MNK of a product whose tiles run in parallel">,
    Option<"parallelMinSize", "parallel-min-size", "int64_t",
           /*default=*/"64",
           "Least M, N and K of a product whose tiles run in parallel">,
    Option<"report", "report", "bool", /*default=*/"false",
           "Remark on each product: what was fused into its tiles, or why "
           "not">,
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
  ];
}

def KilnVectorizeContractions
    : Pass<"kiln-vectorize-contractions", "::mlir::func::FuncOp"> {
  let summary = "Tile and vectorize matmuls on buffers into register-blocked "
                "micro-kernels";
  let description = [{
    Rewrites `linalg.matmul`, `linalg.matmul_transpose_a`,
    `linalg.batch_matmul` and `linalg.batch_matmul_transpose_a` on `f32`
    buffers with static shapes into loops around a vectorized micro-kernel:

    1. Batch products become a loop over the batch of 2-D products.
    2. Cache tiling: M, N and K are tiled by `cache-tiles` (default
       64, 128, 256) in that loop order, and the M and N loops are peeled so
       that every tile has a static size (the last tile of a dimension that
       the tile size does not divide is a separate, smaller copy).
    3. Register tiling: each cache tile is tiled by `register-tiles` (default
       8, 32) in M and N and by 1 in K, peeled again. A cache tile with fewer
       rows than the register tile (a small batch) gets a register tile as
       many times wider in N, so that it keeps as many accumulators. A
       register tile wider than half the register tile's N whose width that
       half does not divide is split into a multiple of it and a narrower
       rest (N = 120: 32, 32, 32, 16, 8), since LLVM moves odd-sized
       vectors such as `vector<24xf32>` through the stack.
    4. Each register tile (at most 8x32x1) becomes a `vector.contract`; the
       accumulator's `vector.transfer_read`/`transfer_write` are hoisted out
       of the K loop, so the tile of the result stays in registers; the
       contraction is lowered to outer products (one broadcast of A and one
       row of B per FMA row) and the transfers to 1-D loads and stores.

    5. With `parallel`, the outermost cache-tile loop of a product of at
       least `parallel-min-flops` (2MNK) whose M, N and K are all at least
       `parallel-min-size` becomes an `scf.parallel`, if it runs over M or
       N and has at least two iterations: its tiles write disjoint parts of
       the result. (Thinner products do too little work per byte: moving
       their operands between the cores' caches costs more than the second
       core gives. The exception is a product whose right operand is an
       argument of at least 256 KiB that the function never writes, an
       inference weight: its N tile loop runs in parallel whatever M, and
       each core keeps its columns of the weight in cache across calls.) `convert-scf-to-openmp` then runs it on
       OpenMP threads. K is never split, so each element of the result is
       computed by one thread in the same order whatever the thread count.

    The accumulation order over K is unchanged (K is the innermost loop and
    tiles of K are visited in order), so results do not depend on the tile
    sizes except through fused multiply-adds. Other ops, dynamic shapes and
    other element types are left for `convert-linalg-to-loops`.

    Before:
    ```mlir
    linalg.matmul ins(%a, %b : memref<128x784xf32>, memref<784x512xf32>)
                  outs(%c : memref<128x512xf32>)
    ```
    After (abridged):
    ```mlir
    scf.for %m = %c0 to %c128 step %c64 {
      scf.for %n = %c0 to %c512 step %c128 {
        scf.for %k0 = %c0 to %c784 step %c256 {
          scf.for %mr = %c0 to %c64 step %c8 {
            scf.for %nr = %c0 to %c128 step %c32 {
              %acc = vector.load ... : memref<128x512xf32>, vector<32xf32>
              ...
              %r = scf.for %k = ... iter_args(%t = %acc0) -> (vector<8x32xf32>) {
                %row = vector.load %b[...] : memref<784x512xf32>, vector<32xf32>
                %o = vector.outerproduct %col, %row, %acc ...
              }
              vector.store ...
    ```
  }];
  let options = [
    ListOption<"cacheTiles", "cache-tiles", "int64_t",
               "Cache tile sizes of M, N and K (default 64,128,256)">,
    ListOption<"registerTiles", "register-tiles", "int64_t",
               "Register tile sizes of M and N (default 8,32)">,
    Option<"parallel", "parallel", "bool", /*default=*/"false",
           "Make the outermost M or N cache-tile loop of large products an "
           "scf.parallel">,
    Option<"parallelMinFlops", "parallel-min-flops", "int64_t",
           /*default=*/"4000000",
           "Smallest product (2MNK floating-point operations) whose tiles "
           "run in parallel">,
    Option<"parallelMinSize", "parallel-min-size", "int64_t",
           /*default=*/"64",
           "Smallest M, N and K of a product whose tiles run in parallel">,
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def KilnVectorizeTransposes
    : Pass<"kiln-vectorize-transposes", "::mlir::func::FuncOp"> {
  let summary = "Tile and vectorize transposes of the two innermost "
                "dimensions on buffers";
  let description = [{
    Rewrites a `linalg.transpose` on `f32` buffers with static shapes whose
    permutation swaps the two innermost dimensions (and keeps the others)
    into loops over `tile` x `tile` blocks (default 16; leading dimensions
    by 1), peeled so that every block has a static size. Each block is read
    with one load per row, transposed in registers (`vector.transpose`,
    lowered to shuffles: the 16x16 shuffle network for full blocks) and
    written with one store per row. Other transposes are left for
    `convert-linalg-to-loops`.

    Before:
    ```mlir
    linalg.transpose ins(%w : memref<512x256xf32>)
                     outs(%t : memref<256x512xf32>) permutation = [1, 0]
    ```
    After (abridged):
    ```mlir
    scf.for %i = %c0 to %c512 step %c16 {
      scf.for %j = %c0 to %c256 step %c16 {
        %r0 = vector.load %w[%i, %j] : memref<512x256xf32>, vector<16xf32>
        ...
        %s = vector.shuffle ...
        ...
        vector.store %s, %t[%j, %i] : memref<256x512xf32>, vector<16xf32>
    ```
  }];
  let options = [
    Option<"tile", "tile", "int64_t", /*default=*/"16",
           "Block size of the two transposed dimensions">,
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def KilnExpandMath : Pass<"kiln-expand-math"> {
  let summary = "Expand f32 exp, expm1, tanh, log and log1p into arithmetic "
                "that vectorizes";
  let description = [{
    Rewrites `math.exp`, `math.expm1`, `math.tanh`, `math.log` and
    `math.log1p` on `f32` and on vectors of `f32` into range reductions and
    polynomials built from `arith` ops (plus `math.absf` and
    `math.copysign`, which become bit operations). Otherwise they become
    calls to libm (`expf`, `expm1f`, `tanhf`, `logf`, `log1pf`), which keep
    LLVM from vectorizing the loops around them: the gates of recurrent
    cells (`sigmoid = 1 / (1 + exp(-x))`, `tanh`), softmax, cross-entropy,
    elu. Other element types and other functions (`powf`, `cos`, ...) are
    left to `convert-math-to-llvm` and `convert-math-to-libm`.

    - `exp`: glibc's `expf` algorithm and constants, in f64: x / ln 2 =
      k / 32 + r / 32, 2^(k/32) = 2^(k div 32) 2^(j/32), a cubic in r, one
      rounding to f32 (which also produces overflow, subnormal results and
      underflow). glibc reads 2^(j/32) from a table; a load would keep LLVM
      from vectorizing the loop, so it is the product of 2^(2^i/32) over the
      bits of j, corrected by one ulp where it differs from the table. The
      results are libm's, bit for bit (all 2^32 inputs checked): training
      comparisons with PyTorch (LeNet) hinge on the rounding of softmax's
      exponentials.
    - `expm1`: in f32, x = k ln 2 + r, a degree-7 polynomial for
      `expm1(r)`, combined with 2^k - 1 in one of three ways by k so that
      at most two roundings matter; `x` itself for |x| < 2^-25.
    - `tanh`: `x + x^3 P(x^2)` (degree 6 in x^2) for |x| < 0.75,
      `1 - 2 / (e^2|x| + 1)` above (e^2|x| by the f32 reduction; |x| clamped
      to 10, where tanh rounds to 1), with the sign of x.
    - `log`: x = 2^e (1 + f) with 1 + f in [sqrt(1/2), sqrt(2)), `e ln 2 +
      f + f^2 (-1/2 + f P(f))` with a degree-8 P; subnormals are scaled by
      2^23 first.
    - `log1p`: the same on u = 1 + x, plus the rounding error of 1 + x
      (exact by Fast2Sum) divided by u; `x` itself for |x| < 2^-25.

    Polynomials are multiply-adds with the `contract` fast-math flag (FMAs
    where the target has them); nothing else is contracted or reassociated.
    Maximum error over all 2^32 `f32` inputs, against the exact value (libm
    in f64), with FMAs / without: exp 0.502 / 0.502 ulp, expm1 0.998 /
    1.002, tanh 1.056 / 1.056, log 0.900 / 0.917, log1p 0.961 / 0.965
    (glibc's f32 functions: 0.502, 0.813, 2.189, 0.818, 1.293). +-0,
    +-Inf, NaN, subnormals, overflow and underflow give libm's results
    everywhere. test/Integration/Ops/transcendental.test checks a 2^20-point
    sweep.

    Before:
    ```mlir
    %y = math.tanh %x : f32
    ```
    After (abridged):
    ```mlir
    %a = math.absf %x : f32
    %z = arith.mulf %a, %a : f32
    ...
    %small = arith.addf %p, %a fastmath<contract> : f32
    ...
    %large = arith.subf %one, %q : f32
    %lt = arith.cmpf olt, %a, %split : f32
    %t = arith.select %lt, %small, %large : f32
    %y = math.copysign %t, %x : f32
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect",
  ];
}

#endif // KILN_CODEGEN_PASSES_TD
