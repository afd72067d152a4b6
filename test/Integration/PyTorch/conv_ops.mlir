// Models for compare_conv.py (run by conv_ops.test): one function per
// convolution or pooling configuration. Each returns the loss
// sum(op(inputs) * g) and the op's output; kiln-autodiff (run by kilnc)
// adds @<name>_grad, which also returns the gradients of the loss with
// respect to the arguments listed in nn.differentiate, i.e. the
// vector-Jacobian products of the op for the cotangent g. The shapes and
// attributes here must match CONFIGS in compare_conv.py.

// F.conv2d(x, w, b)
func.func @conv_basic(%x: tensor<2x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>, %g: tensor<2x4x6x6xf32>)
    -> (tensor<f32>, tensor<2x4x6x6xf32>) attributes {nn.differentiate = [0, 1, 2]} {
  %y = nn.conv2d %x, %w, %b : tensor<2x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>
  %p = nn.mul %y, %g : tensor<2x4x6x6xf32>, tensor<2x4x6x6xf32>
  %l = nn.reduce_sum %p axes = [0, 1, 2, 3] : tensor<2x4x6x6xf32>
  return %l, %y : tensor<f32>, tensor<2x4x6x6xf32>
}

// F.conv2d(x, w, b, stride=2, padding=1)
func.func @conv_stride_pad(%x: tensor<2x3x9x9xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>, %g: tensor<2x4x5x5xf32>)
    -> (tensor<f32>, tensor<2x4x5x5xf32>) attributes {nn.differentiate = [0, 1, 2]} {
  %y = nn.conv2d %x, %w, %b stride = [2, 2] padding = [1, 1] : tensor<2x3x9x9xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>
  %p = nn.mul %y, %g : tensor<2x4x5x5xf32>, tensor<2x4x5x5xf32>
  %l = nn.reduce_sum %p axes = [0, 1, 2, 3] : tensor<2x4x5x5xf32>
  return %l, %y : tensor<f32>, tensor<2x4x5x5xf32>
}

// F.conv2d(x, w, dilation=2), no bias
func.func @conv_dilation(%x: tensor<2x2x9x10xf32>, %w: tensor<3x2x3x3xf32>, %g: tensor<2x3x5x6xf32>)
    -> (tensor<f32>, tensor<2x3x5x6xf32>) attributes {nn.differentiate = [0, 1]} {
  %y = nn.conv2d %x, %w dilation = [2, 2] : tensor<2x2x9x10xf32>, tensor<3x2x3x3xf32>
  %p = nn.mul %y, %g : tensor<2x3x5x6xf32>, tensor<2x3x5x6xf32>
  %l = nn.reduce_sum %p axes = [0, 1, 2, 3] : tensor<2x3x5x6xf32>
  return %l, %y : tensor<f32>, tensor<2x3x5x6xf32>
}

// F.conv2d(x, w, b, padding=1, groups=2)
func.func @conv_groups(%x: tensor<2x4x7x7xf32>, %w: tensor<6x2x3x3xf32>, %b: tensor<6xf32>, %g: tensor<2x6x7x7xf32>)
    -> (tensor<f32>, tensor<2x6x7x7xf32>) attributes {nn.differentiate = [0, 1, 2]} {
  %y = nn.conv2d %x, %w, %b padding = [1, 1] groups = 2 : tensor<2x4x7x7xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>
  %p = nn.mul %y, %g : tensor<2x6x7x7xf32>, tensor<2x6x7x7xf32>
  %l = nn.reduce_sum %p axes = [0, 1, 2, 3] : tensor<2x6x7x7xf32>
  return %l, %y : tensor<f32>, tensor<2x6x7x7xf32>
}

// F.conv2d(x, w, b): a 1x1 kernel
func.func @conv_1x1(%x: tensor<2x5x4x4xf32>, %w: tensor<3x5x1x1xf32>, %b: tensor<3xf32>, %g: tensor<2x3x4x4xf32>)
    -> (tensor<f32>, tensor<2x3x4x4xf32>) attributes {nn.differentiate = [0, 1, 2]} {
  %y = nn.conv2d %x, %w, %b : tensor<2x5x4x4xf32>, tensor<3x5x1x1xf32>, tensor<3xf32>
  %p = nn.mul %y, %g : tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>
  %l = nn.reduce_sum %p axes = [0, 1, 2, 3] : tensor<2x3x4x4xf32>
  return %l, %y : tensor<f32>, tensor<2x3x4x4xf32>
}

// F.conv2d(x, w, b, stride=(2, 1), padding=(1, 2), dilation=(2, 1), groups=3)
func.func @conv_mixed(%x: tensor<2x6x9x8xf32>, %w: tensor<6x2x3x2xf32>, %b: tensor<6xf32>, %g: tensor<2x6x4x11xf32>)
    -> (tensor<f32>, tensor<2x6x4x11xf32>) attributes {nn.differentiate = [0, 1, 2]} {
  %y = nn.conv2d %x, %w, %b stride = [2, 1] padding = [1, 2] dilation = [2, 1] groups = 3 : tensor<2x6x9x8xf32>, tensor<6x2x3x2xf32>, tensor<6xf32>
  %p = nn.mul %y, %g : tensor<2x6x4x11xf32>, tensor<2x6x4x11xf32>
  %l = nn.reduce_sum %p axes = [0, 1, 2, 3] : tensor<2x6x4x11xf32>
  return %l, %y : tensor<f32>, tensor<2x6x4x11xf32>
}

// LeNet-5's first layer: F.conv2d(x, w, b, padding=2) on 28x28 digits
func.func @conv_lenet(%x: tensor<4x1x28x28xf32>, %w: tensor<6x1x5x5xf32>, %b: tensor<6xf32>, %g: tensor<4x6x28x28xf32>)
    -> (tensor<f32>, tensor<4x6x28x28xf32>) attributes {nn.differentiate = [0, 1, 2]} {
  %y = nn.conv2d %x, %w, %b padding = [2, 2] : tensor<4x1x28x28xf32>, tensor<6x1x5x5xf32>, tensor<6xf32>
  %p = nn.mul %y, %g : tensor<4x6x28x28xf32>, tensor<4x6x28x28xf32>
  %l = nn.reduce_sum %p axes = [0, 1, 2, 3] : tensor<4x6x28x28xf32>
  return %l, %y : tensor<f32>, tensor<4x6x28x28xf32>
}

// F.max_pool2d(x, 2)
func.func @max_pool_2(%x: tensor<2x3x8x8xf32>, %g: tensor<2x3x4x4xf32>)
    -> (tensor<f32>, tensor<2x3x4x4xf32>) attributes {nn.differentiate = [0]} {
  %y = nn.max_pool2d %x kernel = [2, 2] : tensor<2x3x8x8xf32>
  %p = nn.mul %y, %g : tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>
  %l = nn.reduce_sum %p axes = [0, 1, 2, 3] : tensor<2x3x4x4xf32>
  return %l, %y : tensor<f32>, tensor<2x3x4x4xf32>
}

// F.max_pool2d(x, 3, stride=2, padding=1)
func.func @max_pool_3s2p1(%x: tensor<2x3x9x9xf32>, %g: tensor<2x3x5x5xf32>)
    -> (tensor<f32>, tensor<2x3x5x5xf32>) attributes {nn.differentiate = [0]} {
  %y = nn.max_pool2d %x kernel = [3, 3] stride = [2, 2] padding = [1, 1] : tensor<2x3x9x9xf32>
  %p = nn.mul %y, %g : tensor<2x3x5x5xf32>, tensor<2x3x5x5xf32>
  %l = nn.reduce_sum %p axes = [0, 1, 2, 3] : tensor<2x3x5x5xf32>
  return %l, %y : tensor<f32>, tensor<2x3x5x5xf32>
}

// F.max_pool2d(x, (2, 3), stride=(1, 2), padding=(1, 1))
func.func @max_pool_nonsquare(%x: tensor<1x2x5x8xf32>, %g: tensor<1x2x6x4xf32>)
    -> (tensor<f32>, tensor<1x2x6x4xf32>) attributes {nn.differentiate = [0]} {
  %y = nn.max_pool2d %x kernel = [2, 3] stride = [1, 2] padding = [1, 1] : tensor<1x2x5x8xf32>
  %p = nn.mul %y, %g : tensor<1x2x6x4xf32>, tensor<1x2x6x4xf32>
  %l = nn.reduce_sum %p axes = [0, 1, 2, 3] : tensor<1x2x6x4xf32>
  return %l, %y : tensor<f32>, tensor<1x2x6x4xf32>
}

// F.avg_pool2d(x, 2)
func.func @avg_pool_2(%x: tensor<2x3x8x8xf32>, %g: tensor<2x3x4x4xf32>)
    -> (tensor<f32>, tensor<2x3x4x4xf32>) attributes {nn.differentiate = [0]} {
  %y = nn.avg_pool2d %x kernel = [2, 2] : tensor<2x3x8x8xf32>
  %p = nn.mul %y, %g : tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>
  %l = nn.reduce_sum %p axes = [0, 1, 2, 3] : tensor<2x3x4x4xf32>
  return %l, %y : tensor<f32>, tensor<2x3x4x4xf32>
}

// F.avg_pool2d(x, 3, stride=2, padding=1) (count_include_pad=True)
func.func @avg_pool_3s2p1(%x: tensor<2x3x9x9xf32>, %g: tensor<2x3x5x5xf32>)
    -> (tensor<f32>, tensor<2x3x5x5xf32>) attributes {nn.differentiate = [0]} {
  %y = nn.avg_pool2d %x kernel = [3, 3] stride = [2, 2] padding = [1, 1] : tensor<2x3x9x9xf32>
  %p = nn.mul %y, %g : tensor<2x3x5x5xf32>, tensor<2x3x5x5xf32>
  %l = nn.reduce_sum %p axes = [0, 1, 2, 3] : tensor<2x3x5x5xf32>
  return %l, %y : tensor<f32>, tensor<2x3x5x5xf32>
}

// F.avg_pool2d(x, (2, 3), stride=(1, 2), padding=(1, 1))
func.func @avg_pool_nonsquare(%x: tensor<1x2x5x8xf32>, %g: tensor<1x2x6x4xf32>)
    -> (tensor<f32>, tensor<1x2x6x4xf32>) attributes {nn.differentiate = [0]} {
  %y = nn.avg_pool2d %x kernel = [2, 3] stride = [1, 2] padding = [1, 1] : tensor<1x2x5x8xf32>
  %p = nn.mul %y, %g : tensor<1x2x6x4xf32>, tensor<1x2x6x4xf32>
  %l = nn.reduce_sum %p axes = [0, 1, 2, 3] : tensor<1x2x6x4xf32>
  return %l, %y : tensor<f32>, tensor<1x2x6x4xf32>
}

// x.mean(dim=(2, 3))
func.func @global_avg_pool(%x: tensor<2x3x5x4xf32>, %g: tensor<2x3xf32>)
    -> (tensor<f32>, tensor<2x3xf32>) attributes {nn.differentiate = [0]} {
  %y = nn.global_avg_pool %x : tensor<2x3x5x4xf32>
  %p = nn.mul %y, %g : tensor<2x3xf32>, tensor<2x3xf32>
  %l = nn.reduce_sum %p axes = [0, 1] : tensor<2x3xf32>
  return %l, %y : tensor<f32>, tensor<2x3xf32>
}

// torch.flatten(x, 1)
func.func @flatten(%x: tensor<2x3x4x5xf32>, %g: tensor<2x60xf32>)
    -> (tensor<f32>, tensor<2x60xf32>) attributes {nn.differentiate = [0]} {
  %y = nn.flatten %x : tensor<2x3x4x5xf32>
  %p = nn.mul %y, %g : tensor<2x60xf32>, tensor<2x60xf32>
  %l = nn.reduce_sum %p axes = [0, 1] : tensor<2x60xf32>
  return %l, %y : tensor<f32>, tensor<2x60xf32>
}
