#!/usr/bin/env python3
"""Regenerates the seed corpus of the `onnx` fuzz harness.

Usage: make-onnx-seeds.py [CORPUS_DIR]   (default: corpus/onnx next to this
script; needs the `onnx` Python package and Debian's libonnx-testdata)

Copies small model.onnx files (< 16 KiB) of ONNX's backend test data
(/usr/share/libonnx-testdata, Apache-2.0) that use only the operators the
importer supports (docs/ONNX.md): the smallest model of every distinct
operator set, a few more of the big families (Conv, pooling, recurrent,
losses), then writes near-valid and corrupt models (truncated, flipped
bits, no graph, bad shapes, external data, unsupported operator, dangling
names). Files named crash-* are regression inputs that a fuzzer found; the
script leaves them alone. Deterministic.
"""

import collections
import glob
import os
import sys

import onnx
from onnx import TensorProto, helper

DATA = "/usr/share/libonnx-testdata/data"
SUPPORTED = set("""Relu Sigmoid Tanh Exp Log Sqrt Neg Abs LeakyRelu Elu
Identity Add Sub Mul Div Pow MatMul Gemm Transpose Reshape Flatten Concat
Softmax LogSoftmax ReduceSum ReduceMean ReduceMax ReduceMin ReduceProd
ReduceL1 ReduceL2 ReduceSumSquare ReduceLogSum ReduceLogSumExp Conv MaxPool
AveragePool GlobalAveragePool BatchNormalization Dropout LSTM GRU RNN
SoftmaxCrossEntropyLoss NegativeLogLikelihoodLoss Constant Shape Adam
Momentum""".split())
# Extra models of the big families, by test name.
EXTRA = """test_conv_with_strides_and_asymmetric_padding
test_conv_with_autopad_same test_convtranspose_1d test_conv_with_strides_padding
test_maxpool_2d_ceil test_maxpool_2d_dilations test_maxpool_3d_default
test_averagepool_2d_pads_count_include_pad test_averagepool_2d_same_upper
test_lstm_with_peepholes test_lstm_with_initial_bias test_gru_seq_length
test_rnn_seq_length test_sce_mean_weight_ii_3d test_nllloss_NCd1d2_with_weight
test_batchnorm_epsilon_training_mode test_gemm_all_attributes
test_reshape_negative_extended_dims test_dropout_default_mask_ratio
test_softmax_axis_0 test_reduce_sum_keepdims_random
test_transpose_all_permutations_3 test_concat_3d_axis_negative_1
test_flatten_negative_axis1 test_pow_types_int64_int64 test_shape_start_1
test_adam_multiple test_momentum_multiple""".split()


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def pick(out):
    groups = collections.defaultdict(list)
    named = {}
    for suite in ["node", "pytorch-converted", "pytorch-operator", "simple"]:
        for path in sorted(glob.glob(f"{DATA}/{suite}/*/model.onnx")):
            size = os.path.getsize(path)
            if size >= 16384:
                continue
            model = onnx.load(path)
            ops = tuple(sorted({n.op_type for n in model.graph.node}))
            if not ops or not set(ops) <= SUPPORTED:
                continue
            test = os.path.basename(os.path.dirname(path))
            groups[ops].append((size, suite, test, path))
            named[test] = (suite, path)
    chosen = {}
    for ops, models in groups.items():
        size, suite, test, path = min(models)
        chosen[test] = (suite, path)
    for test in EXTRA:
        if test in named:
            chosen[test] = named[test]
    for test, (suite, path) in sorted(chosen.items()):
        with open(path, "rb") as f:
            write(f"{out}/{suite}-{test}.onnx", f.read())
    return chosen


def tensor(name, dtype, dims, values=()):
    """A TensorProto without make_tensor's checks (for bad shapes)."""
    t = TensorProto()
    t.name = name
    t.data_type = dtype
    t.dims.extend(dims)
    t.float_data.extend(values)
    return t


# Models whose inputs after the first become initializers (with the values
# of test_data_set_0), so that the harness's training import has parameters
# to differentiate: files `init-<test>.onnx`.
WITH_INITIALIZERS = """test_basic_conv_with_padding
test_conv_with_strides_and_asymmetric_padding test_gemm_all_attributes
test_matmul_2d test_lstm_defaults test_lstm_with_initial_bias test_gru_defaults
test_simple_rnn_defaults test_batchnorm_example test_add_bcast test_mul_example
test_sce_mean_weight_ii_3d test_nllloss_NCd1d2_with_weight
test_concat_3d_axis_negative_1 test_pow_example test_div_example""".split()


def with_initializers(out, chosen):
    for test in WITH_INITIALIZERS:
        d = f"{DATA}/node/{test}"
        if not os.path.exists(f"{d}/model.onnx"):
            continue
        m = onnx.load(f"{d}/model.onnx")
        inputs = list(m.graph.input)
        keep, inits = inputs[:1], []
        for i, vi in enumerate(inputs[1:], 1):
            t = onnx.TensorProto()
            with open(f"{d}/test_data_set_0/input_{i}.pb", "rb") as f:
                t.ParseFromString(f.read())
            t.name = vi.name
            if t.data_type == TensorProto.FLOAT:
                inits.append(t)
            else:
                keep.append(vi)
        if not inits:
            continue
        del m.graph.input[:]
        m.graph.input.extend(keep)
        m.graph.initializer.extend(inits)
        data = m.SerializeToString()
        if len(data) < 16384:
            write(f"{out}/init-{test}.onnx", data)


def model(nodes, inputs, outputs, inits=(), opset=13):
    graph = helper.make_graph(nodes, "g", inputs, outputs, list(inits))
    m = helper.make_model(graph,
                          opset_imports=[helper.make_opsetid("", opset)])
    return m.SerializeToString()


def corrupt(out, chosen):
    f32 = TensorProto.FLOAT
    x = helper.make_tensor_value_info("x", f32, [2, 3])
    y = helper.make_tensor_value_info("y", f32, [2, 3])
    relu = helper.make_node("Relu", ["x"], ["y"], name="relu")
    with open(chosen["test_basic_conv_with_padding"][1], "rb") as f:
        conv = f.read()
    with open(chosen["test_lstm_defaults"][1], "rb") as f:
        lstm = f.read()
    write(f"{out}/bad-empty.onnx", b"")
    write(f"{out}/bad-truncated-conv.onnx", conv[:len(conv) // 2])
    write(f"{out}/bad-truncated-lstm.onnx", lstm[:len(lstm) * 2 // 3])
    flipped = bytearray(conv)
    for i in range(7, len(flipped), 23):
        flipped[i] ^= 0x10
    write(f"{out}/bad-flipped-conv.onnx", bytes(flipped))
    no_graph = onnx.ModelProto()
    no_graph.ir_version = 8
    no_graph.producer_name = "kiln"
    write(f"{out}/bad-no-graph.onnx", no_graph.SerializeToString())
    # A shape whose element count overflows, and one with no data.
    big = tensor("w", f32, [1 << 40, 1 << 40])
    write(f"{out}/bad-huge-initializer.onnx",
          model([helper.make_node("Add", ["x", "w"], ["y"])], [x], [y], [big]))
    neg = tensor("w", f32, [-1, 3])
    write(f"{out}/bad-negative-dim.onnx",
          model([helper.make_node("Add", ["x", "w"], ["y"])], [x], [y], [neg]))
    short = tensor("w", f32, [2, 3], [1.0, 2.0])
    write(f"{out}/bad-short-data.onnx",
          model([helper.make_node("Add", ["x", "w"], ["y"])], [x], [y], [short]))
    ext = helper.make_tensor("w", f32, [2, 3], [0.0] * 6)
    ext.data_location = TensorProto.EXTERNAL
    write(f"{out}/bad-external-data.onnx",
          model([helper.make_node("Add", ["x", "w"], ["y"])], [x], [y], [ext]))
    write(f"{out}/bad-unsupported-op.onnx",
          model([helper.make_node("Hardmax", ["x"], ["y"])], [x], [y]))
    write(f"{out}/bad-dangling-input.onnx",
          model([helper.make_node("Add", ["x", "nowhere"], ["y"])], [x], [y]))
    write(f"{out}/bad-missing-output.onnx",
          model([relu], [x], [helper.make_tensor_value_info("z", f32, [2, 3])]))
    dyn = helper.make_tensor_value_info("x", f32, ["N", 3])
    write(f"{out}/bad-dynamic-shape.onnx", model([relu], [dyn], [y]))
    shape = helper.make_tensor("s", TensorProto.INT64, [2], [3, -7])
    write(f"{out}/bad-reshape-shape.onnx",
          model([helper.make_node("Reshape", ["x", "s"], ["y"])], [x], [y],
                [shape]))
    perm = helper.make_node("Transpose", ["x"], ["y"], perm=[0, 5])
    write(f"{out}/bad-transpose-perm.onnx", model([perm], [x], [y]))
    write(f"{out}/bad-old-opset.onnx", model([relu], [x], [y], opset=1))
    cycle = [helper.make_node("Relu", ["b"], ["a"]),
             helper.make_node("Relu", ["a"], ["b"]),
             helper.make_node("Add", ["x", "a"], ["y"])]
    write(f"{out}/bad-cycle.onnx", model(cycle, [x], [y]))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus", "onnx")
    os.makedirs(out, exist_ok=True)
    chosen = pick(out)
    with_initializers(out, chosen)
    corrupt(out, chosen)


if __name__ == "__main__":
    main()
