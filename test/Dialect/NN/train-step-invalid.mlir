// RUN: kiln-opt %s -kiln-train-step -split-input-file -verify-diagnostics

/// A model without parameters has nothing to train.
// expected-error @+1 {{cannot train 'no_params': it has no parameters (declare them with nn.param)}}
func.func @no_params(%x: tensor<4xf32>) -> tensor<f32>
    attributes {nn.train = {optimizer = "sgd", lr = 0.1}} {
  %0 = nn.reduce_sum %x axes = [0] : tensor<4xf32>
  return %0 : tensor<f32>
}

// -----

/// The first result must be the loss.
// expected-error @+1 {{cannot differentiate 'no_loss': its first result must be the loss, of type tensor<f32>}}
func.func @no_loss(%x: tensor<4xf32>) -> tensor<4xf32>
    attributes {nn.train = {optimizer = "sgd", lr = 0.1}} {
  %w = nn.param "w" ones : tensor<4xf32>
  %0 = nn.mul %x, %w : tensor<4xf32>, tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// expected-error @+1 {{'nn.train' of 'f': expected a dictionary such as {optimizer = "adam", lr = 1.0e-3}, or an array of phases}}
func.func @f(%x: tensor<4xf32>) -> tensor<f32> attributes {nn.train} {
  %w = nn.param "w" ones : tensor<4xf32>
  %0 = nn.mul %x, %w : tensor<4xf32>, tensor<4xf32>
  %1 = nn.reduce_sum %0 axes = [0] : tensor<4xf32>
  return %1 : tensor<f32>
}

// -----

// expected-error @+1 {{'nn.train' of 'f': 'optimizer' is required: one of sgd, momentum, rmsprop, adam, adamw}}
func.func @f(%x: tensor<4xf32>) -> tensor<f32> attributes {nn.train = {lr = 0.1}} {
  %w = nn.param "w" ones : tensor<4xf32>
  %0 = nn.mul %x, %w : tensor<4xf32>, tensor<4xf32>
  %1 = nn.reduce_sum %0 axes = [0] : tensor<4xf32>
  return %1 : tensor<f32>
}

// -----

// expected-error @+1 {{'nn.train' of 'f': unknown optimizer 'adagrad' (expected sgd, momentum, rmsprop, adam or adamw)}}
func.func @f(%x: tensor<4xf32>) -> tensor<f32> attributes {nn.train = {optimizer = "adagrad", lr = 0.1}} {
  %w = nn.param "w" ones : tensor<4xf32>
  %0 = nn.mul %x, %w : tensor<4xf32>, tensor<4xf32>
  %1 = nn.reduce_sum %0 axes = [0] : tensor<4xf32>
  return %1 : tensor<f32>
}

// -----

// expected-error @+1 {{'nn.train' of 'f': 'lr' (the learning rate) is required}}
func.func @f(%x: tensor<4xf32>) -> tensor<f32> attributes {nn.train = {optimizer = "adam"}} {
  %w = nn.param "w" ones : tensor<4xf32>
  %0 = nn.mul %x, %w : tensor<4xf32>, tensor<4xf32>
  %1 = nn.reduce_sum %0 axes = [0] : tensor<4xf32>
  return %1 : tensor<f32>
}

// -----

// expected-error @+1 {{'nn.train' of 'f': unknown key 'momentum' for optimizer 'adam' (expected optimizer, schedule, lr, step_size, gamma, total_steps, min_lr, beta1, beta2, eps, weight_decay)}}
func.func @f(%x: tensor<4xf32>) -> tensor<f32> attributes {nn.train = {optimizer = "adam", lr = 0.1, momentum = 0.9}} {
  %w = nn.param "w" ones : tensor<4xf32>
  %0 = nn.mul %x, %w : tensor<4xf32>, tensor<4xf32>
  %1 = nn.reduce_sum %0 axes = [0] : tensor<4xf32>
  return %1 : tensor<f32>
}

// -----

// expected-error @+1 {{'nn.train' of 'f': 'schedule' must be "constant", "step" or "cosine"}}
func.func @f(%x: tensor<4xf32>) -> tensor<f32> attributes {nn.train = {optimizer = "sgd", lr = 0.1, schedule = "linear"}} {
  %w = nn.param "w" ones : tensor<4xf32>
  %0 = nn.mul %x, %w : tensor<4xf32>, tensor<4xf32>
  %1 = nn.reduce_sum %0 axes = [0] : tensor<4xf32>
  return %1 : tensor<f32>
}

// -----

// expected-error @+1 {{'nn.train' of 'f': 'beta1' must be a number}}
func.func @f(%x: tensor<4xf32>) -> tensor<f32> attributes {nn.train = {optimizer = "adam", lr = 0.1, beta1 = "big"}} {
  %w = nn.param "w" ones : tensor<4xf32>
  %0 = nn.mul %x, %w : tensor<4xf32>, tensor<4xf32>
  %1 = nn.reduce_sum %0 axes = [0] : tensor<4xf32>
  return %1 : tensor<f32>
}

// -----

// expected-error @+1 {{'nn.train' of 'f': 'total_steps' must be an integer}}
func.func @f(%x: tensor<4xf32>) -> tensor<f32> attributes {nn.train = {optimizer = "sgd", lr = 0.1, schedule = "cosine", total_steps = 1.5}} {
  %w = nn.param "w" ones : tensor<4xf32>
  %0 = nn.mul %x, %w : tensor<4xf32>, tensor<4xf32>
  %1 = nn.reduce_sum %0 axes = [0] : tensor<4xf32>
  return %1 : tensor<f32>
}

// -----

// expected-error @+1 {{'nn.train' of 'f': 'nesterov' must be true or false}}
func.func @f(%x: tensor<4xf32>) -> tensor<f32> attributes {nn.train = {optimizer = "momentum", lr = 0.1, nesterov = 1}} {
  %w = nn.param "w" ones : tensor<4xf32>
  %0 = nn.mul %x, %w : tensor<4xf32>, tensor<4xf32>
  %1 = nn.reduce_sum %0 axes = [0] : tensor<4xf32>
  return %1 : tensor<f32>
}

// -----

/// Hyperparameter values are checked by the optimizer op's verifier.
// expected-error @+1 {{'nn.adam' op (adam_c2) 'beta1' must be finite and >= 0 and < 1, got 1.5}}
func.func @f(%x: tensor<4xf32>) -> tensor<f32> attributes {nn.train = {optimizer = "adam", lr = 0.1, beta1 = 1.5}} {
  %w = nn.param "w" ones : tensor<4xf32>
  %0 = nn.mul %x, %w : tensor<4xf32>, tensor<4xf32>
  %1 = nn.reduce_sum %0 axes = [0] : tensor<4xf32>
  return %1 : tensor<f32>
}

// -----

/// ... and the schedule's by nn.lr_schedule's.
// expected-error @+1 {{'nn.lr_schedule' op (lr_schedule_c1)}}
func.func @f(%x: tensor<4xf32>) -> tensor<f32> attributes {nn.train = {optimizer = "sgd", lr = -0.1}} {
  %w = nn.param "w" ones : tensor<4xf32>
  %0 = nn.mul %x, %w : tensor<4xf32>, tensor<4xf32>
  %1 = nn.reduce_sum %0 axes = [0] : tensor<4xf32>
  return %1 : tensor<f32>
}

// -----

// expected-error @+1 {{cannot train 'f': a symbol named 'f_train_step' already exists}}
func.func @f(%x: tensor<4xf32>) -> tensor<f32> attributes {nn.train = {optimizer = "sgd", lr = 0.1}} {
  %w = nn.param "w" ones : tensor<4xf32>
  %0 = nn.mul %x, %w : tensor<4xf32>, tensor<4xf32>
  %1 = nn.reduce_sum %0 axes = [0] : tensor<4xf32>
  return %1 : tensor<f32>
}
func.func private @f_train_step()

// -----

/// Ops without a gradient rule are reported as kiln-autodiff reports them.
// expected-error @+1 {{cannot differentiate 'f': 1 op(s) between its parameters and its loss have no gradient rule}}
func.func @f(%x: tensor<4xf32>) -> tensor<f32> attributes {nn.train = {optimizer = "sgd", lr = 0.1}} {
  %w = nn.param "w" ones : tensor<4xf32>
  %0 = nn.mul %x, %w : tensor<4xf32>, tensor<4xf32>
  // expected-note @+1 {{'math.exp' has no gradient rule}}
  %1 = math.exp %0 : tensor<4xf32>
  %2 = nn.reduce_sum %1 axes = [0] : tensor<4xf32>
  return %2 : tensor<f32>
}

// -----

/// Phases: parameter groups must partition the trainable parameters.
// expected-error @+1 {{'nn.train' of 'f': parameter 'g.w' is in the groups of phases 'a' and 'b'; parameter groups must not overlap}}
func.func @f(%x: tensor<3xf32>) -> (tensor<f32>, tensor<f32>)
    attributes {nn.train = [{phase = "a", loss = 0, params = ["g."], optimizer = "sgd", lr = 0.1},
                            {phase = "b", loss = 1, params = ["g.w", "d."], optimizer = "sgd", lr = 0.1}]} {
  %g = nn.param "g.w" ones : tensor<3xf32>
  %d = nn.param "d.w" ones : tensor<3xf32>
  %0 = nn.mul %x, %g : tensor<3xf32>, tensor<3xf32>
  %1 = nn.mul %0, %d : tensor<3xf32>, tensor<3xf32>
  %l = nn.reduce_sum %1 axes = [0] : tensor<3xf32>
  return %l, %l : tensor<f32>, tensor<f32>
}

// -----

// expected-error @+1 {{'nn.train' of 'f': parameter 'd.w' is in no phase's 'params'; every parameter is trained by exactly one phase}}
func.func @f(%x: tensor<3xf32>) -> tensor<f32>
    attributes {nn.train = [{phase = "a", loss = 0, params = ["g."], optimizer = "sgd", lr = 0.1}]} {
  %g = nn.param "g.w" ones : tensor<3xf32>
  %d = nn.param "d.w" ones : tensor<3xf32>
  %0 = nn.mul %x, %g : tensor<3xf32>, tensor<3xf32>
  %1 = nn.mul %0, %d : tensor<3xf32>, tensor<3xf32>
  %l = nn.reduce_sum %1 axes = [0] : tensor<3xf32>
  return %l : tensor<f32>
}

// -----

// expected-error @+1 {{'nn.train' of 'f': phase 'a': 'params' entry 'gen.' selects no trainable parameter}}
func.func @f(%x: tensor<3xf32>) -> tensor<f32>
    attributes {nn.train = [{phase = "a", loss = 0, params = ["g.", "gen."], optimizer = "sgd", lr = 0.1}]} {
  %g = nn.param "g.w" ones : tensor<3xf32>
  %0 = nn.mul %x, %g : tensor<3xf32>, tensor<3xf32>
  %l = nn.reduce_sum %0 axes = [0] : tensor<3xf32>
  return %l : tensor<f32>
}

// -----

// expected-error @+1 {{'nn.train' of 'f': phase 'a': 'loss' = 1 is not a result of type tensor<f32>}}
func.func @f(%x: tensor<3xf32>) -> (tensor<f32>, tensor<3xf32>)
    attributes {nn.train = [{phase = "a", loss = 1, params = ["g."], optimizer = "sgd", lr = 0.1}]} {
  %g = nn.param "g.w" ones : tensor<3xf32>
  %0 = nn.mul %x, %g : tensor<3xf32>, tensor<3xf32>
  %l = nn.reduce_sum %0 axes = [0] : tensor<3xf32>
  return %l, %0 : tensor<f32>, tensor<3xf32>
}

// -----

// expected-error @+1 {{'nn.train' of 'f': two phases are named 'a'}}
func.func @f(%x: tensor<3xf32>) -> tensor<f32>
    attributes {nn.train = [{phase = "a", loss = 0, params = ["g."], optimizer = "sgd", lr = 0.1},
                            {phase = "a", loss = 0, params = ["g."], optimizer = "sgd", lr = 0.1}]} {
  %g = nn.param "g.w" ones : tensor<3xf32>
  %0 = nn.mul %x, %g : tensor<3xf32>, tensor<3xf32>
  %l = nn.reduce_sum %0 axes = [0] : tensor<3xf32>
  return %l : tensor<f32>
}

// -----

// expected-error @+1 {{'nn.train' of 'f': phase #0: 'phase' must name it with letters, digits and _}}
func.func @f(%x: tensor<3xf32>) -> tensor<f32>
    attributes {nn.train = [{phase = "a b", loss = 0, params = ["g."], optimizer = "sgd", lr = 0.1}]} {
  %g = nn.param "g.w" ones : tensor<3xf32>
  %0 = nn.mul %x, %g : tensor<3xf32>, tensor<3xf32>
  %l = nn.reduce_sum %0 axes = [0] : tensor<3xf32>
  return %l : tensor<f32>
}

// -----

// expected-error @+1 {{'nn.train' of 'f', phase 'a': unknown optimizer 'adagrad' (expected sgd, momentum, rmsprop, adam or adamw)}}
func.func @f(%x: tensor<3xf32>) -> tensor<f32>
    attributes {nn.train = [{phase = "a", loss = 0, params = ["g."], optimizer = "adagrad", lr = 0.1}]} {
  %g = nn.param "g.w" ones : tensor<3xf32>
  %0 = nn.mul %x, %g : tensor<3xf32>, tensor<3xf32>
  %l = nn.reduce_sum %0 axes = [0] : tensor<3xf32>
  return %l : tensor<f32>
}

// -----

// expected-error @+1 {{'nn.train' of 'f': 'params' belongs to a phase; write nn.train as an array of phases [{phase = ..., loss = ..., params = [...], ...}]}}
func.func @f(%x: tensor<3xf32>) -> tensor<f32>
    attributes {nn.train = {params = ["g."], optimizer = "sgd", lr = 0.1}} {
  %g = nn.param "g.w" ones : tensor<3xf32>
  %0 = nn.mul %x, %g : tensor<3xf32>, tensor<3xf32>
  %l = nn.reduce_sum %0 axes = [0] : tensor<3xf32>
  return %l : tensor<f32>
}

// -----

// expected-error @+1 {{'nn.train' of 'f': the array of phases is empty}}
func.func @f(%x: tensor<3xf32>) -> tensor<f32> attributes {nn.train = []} {
  %g = nn.param "g.w" ones : tensor<3xf32>
  %0 = nn.mul %x, %g : tensor<3xf32>, tensor<3xf32>
  %l = nn.reduce_sum %0 axes = [0] : tensor<3xf32>
  return %l : tensor<f32>
}
