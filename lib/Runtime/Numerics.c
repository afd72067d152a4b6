/*===- Numerics.c - reports of kilnc --check-numerics -----------------------===*\
|*                                                                            *|
|* Part of the Kiln project.                                                  *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include "kiln/Runtime/Numerics.h"

#include "RuntimeInternal.h"

#include <stdio.h>
#include <string.h>

/// The first report since the last reset (site is empty when none).
static struct {
  char site[512];
  int64_t nans, infs, elements;
  int failed;
} gReport;

void kiln_numerics_fail(const char *site, int64_t nans, int64_t infs,
                        int64_t elements) {
  if (gReport.failed)
    return;
  gReport.failed = 1;
  snprintf(gReport.site, sizeof(gReport.site), "%s", site ? site : "?");
  gReport.nans = nans;
  gReport.infs = infs;
  gReport.elements = elements;
}

void kiln_numerics_reset(void) { gReport.failed = 0; }

kiln_status_t kiln_numerics_status(char *err, size_t errSize) {
  if (!gReport.failed)
    return KILN_OK;
  return kiln_fail(KILN_ERR_NUMERICS, err, errSize,
                   "--check-numerics: %s: %lld NaN and %lld infinite values "
                   "among %lld",
                   gReport.site, (long long)gReport.nans,
                   (long long)gReport.infs, (long long)gReport.elements);
}
