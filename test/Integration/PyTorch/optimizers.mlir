// Models for compare_optimizers.py (run by optimizers.test): one function per
// optimizer configuration, compared step by step against torch.optim in
// PyTorch 1.13. Each update function takes (p, g, state..., step, lr) and
// returns (p', state'...); step and lr are fed by the script each step.
// The hyperparameters here must match CONFIGS in compare_optimizers.py.

// torch.optim.SGD(lr)
func.func @sgd(%p: tensor<4x5xf32>, %g: tensor<4x5xf32>, %s: tensor<i64>, %lr: tensor<f32>)
    -> tensor<4x5xf32> {
  %0 = nn.sgd %p, %g, %lr : tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// torch.optim.SGD(lr, weight_decay=0.1)
func.func @sgd_wd(%p: tensor<4x5xf32>, %g: tensor<4x5xf32>, %s: tensor<i64>, %lr: tensor<f32>)
    -> tensor<4x5xf32> {
  %0 = nn.sgd %p, %g, %lr {weight_decay = 0.1} : tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// torch.optim.SGD(lr, momentum=0.9, dampening=0.25, weight_decay=0.05):
// a non-zero dampening exercises the step == 0 buffer initialization.
func.func @momentum(%p: tensor<4x5xf32>, %g: tensor<4x5xf32>, %b: tensor<4x5xf32>,
                    %s: tensor<i64>, %lr: tensor<f32>)
    -> (tensor<4x5xf32>, tensor<4x5xf32>) {
  %0:2 = nn.momentum %p, %g, %b, %s, %lr {momentum = 0.9, dampening = 0.25, weight_decay = 0.05} : tensor<4x5xf32>
  return %0#0, %0#1 : tensor<4x5xf32>, tensor<4x5xf32>
}

// torch.optim.SGD(lr, momentum=0.9, dampening=0, nesterov=True)
func.func @momentum_nesterov(%p: tensor<4x5xf32>, %g: tensor<4x5xf32>, %b: tensor<4x5xf32>,
                             %s: tensor<i64>, %lr: tensor<f32>)
    -> (tensor<4x5xf32>, tensor<4x5xf32>) {
  %0:2 = nn.momentum %p, %g, %b, %s, %lr {momentum = 0.9, dampening = 0.0, nesterov} : tensor<4x5xf32>
  return %0#0, %0#1 : tensor<4x5xf32>, tensor<4x5xf32>
}

// torch.optim.RMSprop(lr, alpha=0.99, eps=1e-8, weight_decay=0.01)
func.func @rmsprop(%p: tensor<4x5xf32>, %g: tensor<4x5xf32>, %sq: tensor<4x5xf32>,
                   %s: tensor<i64>, %lr: tensor<f32>)
    -> (tensor<4x5xf32>, tensor<4x5xf32>) {
  %0:2 = nn.rmsprop %p, %g, %sq, %lr {alpha = 0.99, eps = 1.0e-8, weight_decay = 0.01} : tensor<4x5xf32>
  return %0#0, %0#1 : tensor<4x5xf32>, tensor<4x5xf32>
}

// torch.optim.Adam(lr) (betas=(0.9, 0.999), eps=1e-8, weight_decay=0)
func.func @adam(%p: tensor<4x5xf32>, %g: tensor<4x5xf32>, %m: tensor<4x5xf32>, %v: tensor<4x5xf32>,
                %s: tensor<i64>, %lr: tensor<f32>)
    -> (tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>) {
  %0:3 = nn.adam %p, %g, %m, %v, %s, %lr : tensor<4x5xf32>
  return %0#0, %0#1, %0#2 : tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>
}

// torch.optim.Adam(lr, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.01)
func.func @adam_wd(%p: tensor<4x5xf32>, %g: tensor<4x5xf32>, %m: tensor<4x5xf32>, %v: tensor<4x5xf32>,
                   %s: tensor<i64>, %lr: tensor<f32>)
    -> (tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>) {
  %0:3 = nn.adam %p, %g, %m, %v, %s, %lr {beta1 = 0.8, beta2 = 0.99, eps = 1.0e-6, weight_decay = 0.01} : tensor<4x5xf32>
  return %0#0, %0#1, %0#2 : tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>
}

// torch.optim.AdamW(lr) (betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)
func.func @adamw(%p: tensor<4x5xf32>, %g: tensor<4x5xf32>, %m: tensor<4x5xf32>, %v: tensor<4x5xf32>,
                 %s: tensor<i64>, %lr: tensor<f32>)
    -> (tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>) {
  %0:3 = nn.adamw %p, %g, %m, %v, %s, %lr : tensor<4x5xf32>
  return %0#0, %0#1, %0#2 : tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>
}

// torch.optim.lr_scheduler.StepLR(opt(lr=0.1), step_size=7, gamma=0.5)
func.func @lr_step(%s: tensor<i64>) -> tensor<f32> {
  %0 = nn.lr_schedule %s step {lr = 0.1, step_size = 7, gamma = 0.5}
  return %0 : tensor<f32>
}

// torch.optim.lr_scheduler.CosineAnnealingLR(opt(lr=0.1), T_max=30, eta_min=0.001)
func.func @lr_cosine(%s: tensor<i64>) -> tensor<f32> {
  %0 = nn.lr_schedule %s cosine {lr = 0.1, total_steps = 30, min_lr = 0.001}
  return %0 : tensor<f32>
}
