/*===- Numerics.h - reports of kilnc --check-numerics --------------*- C -*-===*\
|*                                                                            *|
|* Part of the Kiln project.                                                  *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/
/*
 * Code compiled with `kilnc --check-numerics` counts the NaNs and the
 * infinities of every f32 tensor a model op produces, and calls
 * kiln_numerics_fail() when it finds one (nn.check_finite, docs/Spec.md).
 * The first report of a call to an entry point is kept; kiln_call_entry()
 * clears it before the call and turns it into KILN_ERR_NUMERICS after, with
 * a message that names the op and its location in the model file. The
 * trainer adds the step (docs/Training.md). Single-threaded, like the
 * compiled code.
 */

#ifndef KILN_RUNTIME_NUMERICS_H
#define KILN_RUNTIME_NUMERICS_H

#include "kiln/Runtime/Tensor.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Called by compiled code: the tensor of \p site (e.g. "nn.log at
/// model.mlir:12:8") has \p nans NaNs and \p infs infinities among its
/// \p elements elements. Keeps the first report since the last reset.
void kiln_numerics_fail(const char *site, int64_t nans, int64_t infs,
                        int64_t elements);

/// Forgets the kept report.
void kiln_numerics_reset(void);

/// KILN_OK if no report is kept; otherwise KILN_ERR_NUMERICS with the
/// message "--check-numerics: <site>: N NaN and M infinite values among E"
/// in \p err.
kiln_status_t kiln_numerics_status(char *err, size_t errSize);

#ifdef __cplusplus
}
#endif

#endif /* KILN_RUNTIME_NUMERICS_H */
