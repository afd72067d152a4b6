// Models for normalization_compare.py (run by normalization.test): one
// function per batch norm configuration. Each returns the loss sum(y * g),
// y, and for the training form the new running mean and variance;
// kiln-autodiff (run by kilnc) adds @<name>_grad, which also returns the
// gradients of the loss with respect to x, gamma and beta (nn.differentiate
// = [0, 1, 2]), i.e. the vector-Jacobian products of y for the cotangent g.
// The shapes and attributes here must match CONFIGS in
// normalization_compare.py.

// F.batch_norm(x, mean, var, gamma, beta, training=False)
func.func @bn_eval_2d(%x: tensor<8x5xf32>, %gamma: tensor<5xf32>, %beta: tensor<5xf32>, %mean: tensor<5xf32>, %var: tensor<5xf32>, %g: tensor<8x5xf32>)
    -> (tensor<f32>, tensor<8x5xf32>) attributes {nn.differentiate = [0, 1, 2]} {
  %y = nn.batch_norm %x, %gamma, %beta, %mean, %var : tensor<8x5xf32>, tensor<5xf32>
  %p = nn.mul %y, %g : tensor<8x5xf32>, tensor<8x5xf32>
  %l = nn.reduce_sum %p axes = [0, 1] : tensor<8x5xf32>
  return %l, %y : tensor<f32>, tensor<8x5xf32>
}

// F.batch_norm(x, mean, var, gamma, beta, training=False, eps=0.001)
func.func @bn_eval_3d(%x: tensor<4x3x7xf32>, %gamma: tensor<3xf32>, %beta: tensor<3xf32>, %mean: tensor<3xf32>, %var: tensor<3xf32>, %g: tensor<4x3x7xf32>)
    -> (tensor<f32>, tensor<4x3x7xf32>) attributes {nn.differentiate = [0, 1, 2]} {
  %y = nn.batch_norm %x, %gamma, %beta, %mean, %var eps = 0.001 : tensor<4x3x7xf32>, tensor<3xf32>
  %p = nn.mul %y, %g : tensor<4x3x7xf32>, tensor<4x3x7xf32>
  %l = nn.reduce_sum %p axes = [0, 1, 2] : tensor<4x3x7xf32>
  return %l, %y : tensor<f32>, tensor<4x3x7xf32>
}

// F.batch_norm(x, mean, var, gamma, beta, training=False)
func.func @bn_eval_4d(%x: tensor<4x3x5x5xf32>, %gamma: tensor<3xf32>, %beta: tensor<3xf32>, %mean: tensor<3xf32>, %var: tensor<3xf32>, %g: tensor<4x3x5x5xf32>)
    -> (tensor<f32>, tensor<4x3x5x5xf32>) attributes {nn.differentiate = [0, 1, 2]} {
  %y = nn.batch_norm %x, %gamma, %beta, %mean, %var : tensor<4x3x5x5xf32>, tensor<3xf32>
  %p = nn.mul %y, %g : tensor<4x3x5x5xf32>, tensor<4x3x5x5xf32>
  %l = nn.reduce_sum %p axes = [0, 1, 2, 3] : tensor<4x3x5x5xf32>
  return %l, %y : tensor<f32>, tensor<4x3x5x5xf32>
}

// F.batch_norm(x, running_mean, running_var, gamma, beta, training=True)
func.func @bn_train_2d(%x: tensor<16x5xf32>, %gamma: tensor<5xf32>, %beta: tensor<5xf32>, %rm: tensor<5xf32>, %rv: tensor<5xf32>, %g: tensor<16x5xf32>)
    -> (tensor<f32>, tensor<16x5xf32>, tensor<5xf32>, tensor<5xf32>) attributes {nn.differentiate = [0, 1, 2]} {
  %y, %nm, %nv = nn.batch_norm_train %x, %gamma, %beta, %rm, %rv : tensor<16x5xf32>, tensor<5xf32>
  %p = nn.mul %y, %g : tensor<16x5xf32>, tensor<16x5xf32>
  %l = nn.reduce_sum %p axes = [0, 1] : tensor<16x5xf32>
  return %l, %y, %nm, %nv : tensor<f32>, tensor<16x5xf32>, tensor<5xf32>, tensor<5xf32>
}

// F.batch_norm(x, running_mean, running_var, gamma, beta, training=True, momentum=0.5)
func.func @bn_train_m2(%x: tensor<2x3xf32>, %gamma: tensor<3xf32>, %beta: tensor<3xf32>, %rm: tensor<3xf32>, %rv: tensor<3xf32>, %g: tensor<2x3xf32>)
    -> (tensor<f32>, tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>) attributes {nn.differentiate = [0, 1, 2]} {
  %y, %nm, %nv = nn.batch_norm_train %x, %gamma, %beta, %rm, %rv momentum = 0.5 : tensor<2x3xf32>, tensor<3xf32>
  %p = nn.mul %y, %g : tensor<2x3xf32>, tensor<2x3xf32>
  %l = nn.reduce_sum %p axes = [0, 1] : tensor<2x3xf32>
  return %l, %y, %nm, %nv : tensor<f32>, tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>
}

// F.batch_norm(x, running_mean, running_var, gamma, beta, training=True, momentum=0.3, eps=0.001)
func.func @bn_train_3d(%x: tensor<4x3x7xf32>, %gamma: tensor<3xf32>, %beta: tensor<3xf32>, %rm: tensor<3xf32>, %rv: tensor<3xf32>, %g: tensor<4x3x7xf32>)
    -> (tensor<f32>, tensor<4x3x7xf32>, tensor<3xf32>, tensor<3xf32>) attributes {nn.differentiate = [0, 1, 2]} {
  %y, %nm, %nv = nn.batch_norm_train %x, %gamma, %beta, %rm, %rv eps = 0.001 momentum = 0.3 : tensor<4x3x7xf32>, tensor<3xf32>
  %p = nn.mul %y, %g : tensor<4x3x7xf32>, tensor<4x3x7xf32>
  %l = nn.reduce_sum %p axes = [0, 1, 2] : tensor<4x3x7xf32>
  return %l, %y, %nm, %nv : tensor<f32>, tensor<4x3x7xf32>, tensor<3xf32>, tensor<3xf32>
}

// F.batch_norm(x, running_mean, running_var, gamma, beta, training=True, momentum=0.05, eps=0.0001)
func.func @bn_train_4d(%x: tensor<8x4x6x6xf32>, %gamma: tensor<4xf32>, %beta: tensor<4xf32>, %rm: tensor<4xf32>, %rv: tensor<4xf32>, %g: tensor<8x4x6x6xf32>)
    -> (tensor<f32>, tensor<8x4x6x6xf32>, tensor<4xf32>, tensor<4xf32>) attributes {nn.differentiate = [0, 1, 2]} {
  %y, %nm, %nv = nn.batch_norm_train %x, %gamma, %beta, %rm, %rv eps = 0.0001 momentum = 0.05 : tensor<8x4x6x6xf32>, tensor<4xf32>
  %p = nn.mul %y, %g : tensor<8x4x6x6xf32>, tensor<8x4x6x6xf32>
  %l = nn.reduce_sum %p axes = [0, 1, 2, 3] : tensor<8x4x6x6xf32>
  return %l, %y, %nm, %nv : tensor<f32>, tensor<8x4x6x6xf32>, tensor<4xf32>, tensor<4xf32>
}

// F.batch_norm(x, running_mean, running_var, gamma, beta, training=True)
func.func @bn_train_large(%x: tensor<32x16x8x8xf32>, %gamma: tensor<16xf32>, %beta: tensor<16xf32>, %rm: tensor<16xf32>, %rv: tensor<16xf32>, %g: tensor<32x16x8x8xf32>)
    -> (tensor<f32>, tensor<32x16x8x8xf32>, tensor<16xf32>, tensor<16xf32>) attributes {nn.differentiate = [0, 1, 2]} {
  %y, %nm, %nv = nn.batch_norm_train %x, %gamma, %beta, %rm, %rv : tensor<32x16x8x8xf32>, tensor<16xf32>
  %p = nn.mul %y, %g : tensor<32x16x8x8xf32>, tensor<32x16x8x8xf32>
  %l = nn.reduce_sum %p axes = [0, 1, 2, 3] : tensor<32x16x8x8xf32>
  return %l, %y, %nm, %nv : tensor<f32>, tensor<32x16x8x8xf32>, tensor<16xf32>, tensor<16xf32>
}
