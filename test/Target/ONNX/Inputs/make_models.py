#!/usr/bin/env python3
"""Writes the small ONNX models of test/Target/ONNX into a directory.

Usage: make_models.py OUTDIR

Good models (imported and checked with FileCheck) and one bad model per
error the importer reports. Built with Debian's python3-onnx (1.12).
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def save(name, nodes, inputs, outputs, inits=(), opset=13, extra_opsets=()):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(inits))
    opsets = [helper.make_opsetid("", opset)] + list(extra_opsets)
    model = helper.make_model(graph, opset_imports=opsets)
    model.ir_version = 8
    data = model.SerializeToString()
    with open(os.path.join(out, name + ".onnx"), "wb") as f:
        f.write(data)
    return data


def vi(name, shape, dtype=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, dtype, shape)


rng = np.random.default_rng(0)
w = numpy_helper.from_array(rng.standard_normal((3, 4)).astype(np.float32), "fc.weight")
b = numpy_helper.from_array(rng.standard_normal(3).astype(np.float32), "fc.bias")

# An MLP layer as torch.onnx.export writes it: Gemm with transB = 1.
mlp = save("mlp", [
    helper.make_node("Gemm", ["x", "fc.weight", "fc.bias"], ["h"], name="fc", transB=1),
    helper.make_node("Relu", ["h"], ["y"], name="relu"),
], [vi("x", [2, 4])], [vi("y", [2, 3])], [w, b])

# Convolution with asymmetric padding, pooling, batch norm, softmax.
cw = numpy_helper.from_array(rng.standard_normal((2, 1, 3, 3)).astype(np.float32), "conv.w")
stats = [numpy_helper.from_array(np.full(2, v, np.float32), n)
         for n, v in [("bn.scale", 1.0), ("bn.bias", 0.0), ("bn.mean", 0.0), ("bn.var", 1.0)]]
save("convnet", [
    helper.make_node("Conv", ["x", "conv.w"], ["c"], name="conv", pads=[1, 1, 0, 0]),
    helper.make_node("BatchNormalization", ["c", "bn.scale", "bn.bias", "bn.mean", "bn.var"], ["n"], name="bn"),
    helper.make_node("MaxPool", ["n"], ["p"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
    helper.make_node("AveragePool", ["p"], ["a"], name="avg", kernel_shape=[2, 2], pads=[1, 1, 1, 1]),
    helper.make_node("GlobalAveragePool", ["a"], ["g"], name="gap"),
    helper.make_node("Flatten", ["g"], ["f"], name="flat"),
    helper.make_node("Softmax", ["f"], ["y"], name="softmax"),
], [vi("x", [1, 1, 6, 6])], [vi("y", [1, 2])], [cw] + stats)

# LSTM with ONNX's gate order (i, o, f, c) and a Reduce with axes.
save("lstm", [
    helper.make_node("LSTM", ["x", "W", "R"], ["", "h"], name="lstm", hidden_size=2),
    helper.make_node("ReduceMean", ["h"], ["y"], name="mean", axes=[-1], keepdims=0),
], [vi("x", [3, 1, 2]), vi("W", [1, 8, 2]), vi("R", [1, 8, 2])], [vi("y", [1, 1])])

# --- bad models -----------------------------------------------------------
with open(os.path.join(out, "truncated.onnx"), "wb") as f:
    f.write(mlp[: len(mlp) // 2])
with open(os.path.join(out, "corrupt.onnx"), "wb") as f:
    f.write(b"\xff\xff\xff\xff this is not a protobuf message")
relu = [helper.make_node("Relu", ["x"], ["y"], name="relu")]
save("opset99", relu, [vi("x", [2])], [vi("y", [2])], opset=99)
save("domain", relu, [vi("x", [2])], [vi("y", [2])],
     extra_opsets=[helper.make_opsetid("com.example", 1)])
save("dynamic", relu, [vi("x", ["N", 4])], [vi("y", ["N", 4])])
save("int8_input", relu, [vi("x", [2], TensorProto.INT8)], [vi("y", [2])])
save("gemm_trans", [helper.make_node("Gemm", ["x", "fc.weight"], ["y"], name="fc", transB=2)],
     [vi("x", [2, 4])], [vi("y", [2, 3])], [w])
save("softmax_axis", [helper.make_node("Softmax", ["x"], ["y"], name="sm", axis=2)],
     [vi("x", [2, 3])], [vi("y", [2, 3])])
save("leaky_type", [helper.make_node("LeakyRelu", ["x"], ["y"], name="lrelu", alpha=2)],
     [vi("x", [2])], [vi("y", [2])])
save("pool_pads", [helper.make_node("MaxPool", ["x"], ["y"], name="pool", kernel_shape=[2, 2], pads=[0, 0, 0])],
     [vi("x", [1, 1, 4, 4])], [vi("y", [1, 1, 2, 2])])
save("dropout_ratio", [helper.make_node("Dropout", ["x", "r"], ["y"], name="drop")],
     [vi("x", [2])], [vi("y", [2])],
     [numpy_helper.from_array(np.array(1.5, np.float32), "r")])
save("unsupported", [
    helper.make_node("Cos", ["x"], ["a"], name="cos1"),
    helper.make_node("Relu", ["a"], ["b"], name="relu"),
    helper.make_node("Sin", ["b"], ["c"], name="sin1"),
    helper.make_node("Cos", ["c"], ["y"]),
], [vi("x", [2])], [vi("y", [2])])
save("reshape_input", [helper.make_node("Reshape", ["x", "shape"], ["y"], name="reshape")],
     [vi("x", [2, 3]), vi("shape", [2], TensorProto.INT64)], [vi("y", [3, 2])])
bad = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[2, 2], raw_data=b"\x00" * 12)
save("bad_initializer", [helper.make_node("Add", ["x", "w"], ["y"], name="add")],
     [vi("x", [2, 2])], [vi("y", [2, 2])], [bad])
save("broadcast", [helper.make_node("Add", ["x", "z"], ["y"], name="add")],
     [vi("x", [2, 3]), vi("z", [4])], [vi("y", [2, 3])])
save("conv4d", [helper.make_node("Conv", ["x", "k"], ["y"], name="conv4d")],
     [vi("x", [1, 1, 3, 3, 3, 3]), vi("k", [1, 1, 2, 2, 2, 2])], [vi("y", [1, 1, 2, 2, 2, 2])])

# Resource limits and overflow (found by reading the code while fuzzing,
# docs/Reliability.md): sizes that overflow 64 bits, huge windows, an
# average pooling whose divisors would be a huge constant.
save("huge_input", relu, [vi("x", [1 << 40, 1 << 40])], [vi("y", [1 << 40, 1 << 40])])
neg = TensorProto()
neg.name, neg.data_type = "w", TensorProto.INT64
neg.dims.extend([-1, -1])
neg.int64_data.append(5)
save("int64_negative_dims", [helper.make_node("Identity", ["w"], ["y"], name="id")],
     [], [vi("y", [1], TensorProto.INT64)], [neg])
save("pool_huge_kernel", [helper.make_node("MaxPool", ["x"], ["y"], name="pool",
                                           kernel_shape=[1 << 40, 1])],
     [vi("x", [1, 1, 4, 4])], [vi("y", [1, 1, 1, 4])])
save("avgpool_huge", [helper.make_node("AveragePool", ["x"], ["y"], name="avg",
                                       kernel_shape=[2], pads=[1, 1])],
     [vi("x", [1, 1, 1 << 33])], [vi("y", [1, 1, (1 << 33) + 1])])
save("target_input", [helper.make_node("Add", ["x", "target"], ["y"], name="add")],
     [vi("x", [2, 3]), vi("target", [2, 3])], [vi("y", [2, 3])])
