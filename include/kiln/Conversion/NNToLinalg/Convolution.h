//===- Convolution.h - nn convolution and pooling to linalg -----*- C++ -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// The populators of the convolution and pooling op families of the
// nn -> linalg lowering (lib/Conversion/NNToLinalg/Convolution.cpp and
// Pooling.cpp). populateNNToLinalgConversionPatterns includes them.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CONVERSION_NNTOLINALG_CONVOLUTION_H
#define KILN_CONVERSION_NNTOLINALG_CONVOLUTION_H

#include "mlir/IR/PatternMatch.h"

namespace kiln {

/// conv2d -> `tensor.pad` + `linalg.conv_2d_nchw_fchw` (groups 1) or
/// `linalg.conv_2d_ngchw_gfchw` accumulating into the broadcast bias;
/// conv2d_backward_input -> the transposed convolution: the output gradient
/// spread by the stride into a zero tensor, convolved with the flipped and
/// transposed filter (same named ops), cropped by the padding;
/// conv2d_backward_filter -> one contraction `linalg.generic`.
void populateNNConvolutionToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// max_pool2d / avg_pool2d -> `tensor.pad` + `linalg.pooling_nchw_max` /
/// `linalg.pooling_nchw_sum` (divided by the window size);
/// max_pool2d_backward -> an arg-max reduction `linalg.generic` and one
/// masked `linalg.generic` + strided `tensor.insert_slice` per window
/// offset; global_avg_pool -> a reduction `linalg.generic` and a division;
/// flatten -> `tensor.collapse_shape`.
void populateNNPoolingToLinalgPatterns(mlir::RewritePatternSet &patterns);

} // namespace kiln

#endif // KILN_CONVERSION_NNTOLINALG_CONVOLUTION_H
