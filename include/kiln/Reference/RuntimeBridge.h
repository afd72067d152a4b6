//===- RuntimeBridge.h - RefTensors and the Kiln C runtime ------*- C++ -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Conversions between RefTensors and the runtime's kiln_tensor_t, and a
/// ParamProvider that initializes parameters exactly like compiled programs
/// do (kiln_init_param on an f32 tensor, then widened to double), so that
/// the reference interpreter and the AOT executables see the same values.
///
//===----------------------------------------------------------------------===//

#ifndef KILN_REFERENCE_RUNTIMEBRIDGE_H
#define KILN_REFERENCE_RUNTIMEBRIDGE_H

#include "kiln/Reference/Interpreter.h"
#include "kiln/Runtime/Runtime.h"

#include <string>

namespace kiln::reference {

/// Converts a runtime tensor of dtype f32, f64, i32 or i64 to a RefTensor of
/// kind `kind`. An f64 tensor may become an f32 RefTensor (the values stay
/// in double). Returns std::nullopt and sets `error` when the dtype does not
/// fit `kind` (i1 has no runtime dtype).
std::optional<RefTensor> fromRuntimeTensor(const kiln_tensor_t &tensor,
                                           ElementKind kind,
                                           std::string &error);

/// Allocates `out` with dtype `dtype` and the shape of `tensor` and copies
/// the values, rounding to float for f32 and to the integer type for i32 and
/// i64 (booleans become 0/1). Returns false and sets `error` on failure
/// (rank above KILN_MAX_RANK, allocation failure).
bool toRuntimeTensor(const RefTensor &tensor, kiln_dtype_t dtype,
                     kiln_tensor_t &out, std::string &error);

/// Returns the runtime dtype a RefTensor of `kind` is written as: f32 (f64
/// when `wideFloats`), i32 for i32 and i1, i64 for i64.
kiln_dtype_t getRuntimeDType(ElementKind kind, bool wideFloats);

/// Returns the runtime initializer of `kind`.
kiln_init_kind_t getRuntimeInitKind(nn::InitKind kind);

/// A ParamProvider that fills each parameter with kiln_init_param() exactly
/// as a compiled program does. Failures are emitted at the parameter.
ParamProvider getRuntimeParamProvider();

} // namespace kiln::reference

#endif // KILN_REFERENCE_RUNTIMEBRIDGE_H
