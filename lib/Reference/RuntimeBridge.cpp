//===- RuntimeBridge.cpp - RefTensors and the Kiln C runtime --------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#include "kiln/Reference/RuntimeBridge.h"

#include "mlir/IR/Diagnostics.h"

#include <cmath>

using namespace mlir;
using namespace kiln::reference;

std::optional<RefTensor>
kiln::reference::fromRuntimeTensor(const kiln_tensor_t &tensor,
                                   ElementKind kind, std::string &error) {
  bool ok = false;
  switch (kind) {
  case ElementKind::F32:
    ok = tensor.dtype == KILN_F32 || tensor.dtype == KILN_F64;
    break;
  case ElementKind::I32:
    ok = tensor.dtype == KILN_I32;
    break;
  case ElementKind::I64:
    ok = tensor.dtype == KILN_I64;
    break;
  case ElementKind::I1:
    break;
  }
  if (!ok) {
    error = std::string("expected element type ") +
            getElementKindName(kind).str() + ", got " +
            kiln_dtype_name(tensor.dtype);
    return std::nullopt;
  }
  RefTensor result;
  result.kind = kind;
  result.shape.assign(tensor.shape, tensor.shape + tensor.rank);
  result.data.resize(static_cast<size_t>(tensor.numel));
  for (int64_t i = 0; i < tensor.numel; ++i)
    result.data[i] = kiln_tensor_get_f64(&tensor, i);
  return result;
}

kiln_dtype_t kiln::reference::getRuntimeDType(ElementKind kind,
                                              bool wideFloats) {
  switch (kind) {
  case ElementKind::F32:
    return wideFloats ? KILN_F64 : KILN_F32;
  case ElementKind::I1:
  case ElementKind::I32:
    return KILN_I32;
  case ElementKind::I64:
    return KILN_I64;
  }
  return KILN_DTYPE_INVALID;
}

bool kiln::reference::toRuntimeTensor(const RefTensor &tensor,
                                      kiln_dtype_t dtype, kiln_tensor_t &out,
                                      std::string &error) {
  out = kiln_tensor_t{};
  if (tensor.getRank() > KILN_MAX_RANK) {
    error = "rank " + std::to_string(tensor.getRank()) +
            " exceeds the runtime's maximum of " +
            std::to_string(KILN_MAX_RANK);
    return false;
  }
  char err[512];
  if (kiln_tensor_alloc(&out, dtype, static_cast<int32_t>(tensor.getRank()),
                        tensor.shape.data(), err, sizeof(err)) != KILN_OK) {
    error = err;
    return false;
  }
  for (int64_t i = 0; i < tensor.getNumElements(); ++i) {
    double v = tensor.data[i];
    switch (dtype) {
    case KILN_F32:
      static_cast<float *>(out.data)[i] = static_cast<float>(v);
      break;
    case KILN_F64:
      static_cast<double *>(out.data)[i] = v;
      break;
    case KILN_I32:
      static_cast<int32_t *>(out.data)[i] = static_cast<int32_t>(v);
      break;
    case KILN_I64:
      static_cast<int64_t *>(out.data)[i] = static_cast<int64_t>(v);
      break;
    case KILN_DTYPE_INVALID:
      break;
    }
  }
  return true;
}

kiln_init_kind_t kiln::reference::getRuntimeInitKind(nn::InitKind kind) {
  switch (kind) {
  case nn::InitKind::zeros:
    return KILN_INIT_ZEROS;
  case nn::InitKind::ones:
    return KILN_INIT_ONES;
  case nn::InitKind::uniform:
    return KILN_INIT_UNIFORM;
  case nn::InitKind::normal:
    return KILN_INIT_NORMAL;
  case nn::InitKind::xavier_uniform:
    return KILN_INIT_XAVIER_UNIFORM;
  case nn::InitKind::xavier_normal:
    return KILN_INIT_XAVIER_NORMAL;
  case nn::InitKind::he_uniform:
    return KILN_INIT_HE_UNIFORM;
  case nn::InitKind::he_normal:
    return KILN_INIT_HE_NORMAL;
  }
  return KILN_INIT_INVALID;
}

ParamProvider kiln::reference::getRuntimeParamProvider() {
  return [](const ParamInfo &info) -> FailureOr<RefTensor> {
    if (info.type.getRank() > KILN_MAX_RANK)
      return emitError(info.loc, "parameter '")
             << info.name << "' has rank " << info.type.getRank()
             << "; the runtime supports at most " << KILN_MAX_RANK;
    kiln_tensor_t t{};
    char err[512];
    if (kiln_tensor_alloc(
            &t, KILN_F32, static_cast<int32_t>(info.type.getRank()),
            info.type.getShape().data(), err, sizeof(err)) != KILN_OK)
      return emitError(info.loc, "parameter '") << info.name << "': " << err;
    kiln_status_t status =
        kiln_init_param(&t, getRuntimeInitKind(info.init), info.seed, info.a,
                        info.b, info.fanIn, info.fanOut);
    if (status != KILN_OK) {
      kiln_tensor_free(&t);
      return emitError(info.loc, "cannot initialize parameter '")
             << info.name << "' ("
             << kiln_init_kind_name(getRuntimeInitKind(info.init))
             << ", fan_in " << info.fanIn << ", fan_out " << info.fanOut
             << "): " << kiln_status_string(status);
    }
    std::string error;
    std::optional<RefTensor> value =
        fromRuntimeTensor(t, ElementKind::F32, error);
    kiln_tensor_free(&t);
    return std::move(*value);
  };
}
