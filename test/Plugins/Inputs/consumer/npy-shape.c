//===- npy-shape.c - A C program built on an installed Kiln runtime -------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// npy-shape FILE.npy: prints "DTYPE SHAPE" of a .npy file, or the runtime's
// error. Built by install-package.test through find_package(Kiln) and
// Kiln::Runtime.
//
//===----------------------------------------------------------------------===//

#include "kiln/Runtime/Npy.h"
#include "kiln/Runtime/Tensor.h"

#include <stdio.h>

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: npy-shape FILE.npy\n");
    return 2;
  }
  kiln_tensor_t tensor = {0};
  char err[512];
  if (kiln_npy_read(argv[1], &tensor, err, sizeof(err)) != KILN_OK) {
    fprintf(stderr, "npy-shape: error: %s\n", err);
    return 1;
  }
  char shape[128];
  printf("%s %s\n", kiln_dtype_name(tensor.dtype),
         kiln_shape_format(shape, sizeof(shape), tensor.rank, tensor.shape));
  kiln_tensor_free(&tensor);
  return 0;
}
