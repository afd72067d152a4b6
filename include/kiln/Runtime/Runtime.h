//===- Runtime.h - Kiln runtime public C API --------------------*- C -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Umbrella header of the Kiln runtime (`kiln_runtime`), the C11 library
/// that compiled Kiln programs link against. It depends only on libc and
/// libm. Usable from C++ (all declarations are extern "C").
///
/// Conventions: fallible functions return kiln_status_t and take a
/// `char *err, size_t err_size` pair last; on failure a NUL-terminated
/// message is written there (truncated to fit; `err` may be NULL).
///
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_RUNTIME_H
#define KILN_RUNTIME_RUNTIME_H

#include "kiln/Runtime/ABI.h"
#include "kiln/Runtime/Checkpoint.h"
#include "kiln/Runtime/Data.h"
#include "kiln/Runtime/Init.h"
#include "kiln/Runtime/MemRef.h"
#include "kiln/Runtime/Memory.h"
#include "kiln/Runtime/Npy.h"
#include "kiln/Runtime/Numerics.h"
#include "kiln/Runtime/Png.h"
#include "kiln/Runtime/RunMain.h"
#include "kiln/Runtime/Tensor.h"
#include "kiln/Runtime/Train.h"

#endif // KILN_RUNTIME_RUNTIME_H
