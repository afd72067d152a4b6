// A generative adversarial network on MNIST: an MLP generator (64-d normal
// noise -> 256 -> 784 pixels) and an MLP discriminator (784 -> 256 -> 1
// logit), trained in two phases per batch, as PyTorch's usual GAN loop:
//
//   1. "discriminator": minimizes d_loss over the parameters named disc.*
//      (real images labelled 1, generated ones 0; the generator is fixed);
//   2. "generator": minimizes g_loss over gen.* (generated images labelled 1
//      by the just-updated discriminator).
//
// `nn.train` lists the phases; the trainer runs both on every batch. The
// noise is `nn.random_normal`, keyed by the step in training (new noise each
// batch) and fixed in evaluation, so the sample grid written after each
// epoch (`nn.image = "samples"`) shows the same 64 latent points as training
// goes on. docs/Training.md, "Several phases", explains the format.
//
//   kilnc examples/mnist_gan.mlir -o mnist_gan
//   ./mnist_gan --data data/mnist --epochs 10 --image-dir gan-images
//
// d_acc is the discriminator's accuracy on the batch (real > 0, fake < 0).

func.func @mnist_gan(%x: tensor<64x784xf32> {nn.name = "x"})
    -> (tensor<f32> {nn.name = "d_loss"}, tensor<f32> {nn.name = "g_loss"},
        tensor<f32> {nn.name = "d_acc"},
        tensor<64x784xf32> {nn.image = "samples"})
    attributes {nn.train = [
      {phase = "discriminator", loss = 0, params = ["disc."],
       optimizer = "adam", lr = 2.0e-4, beta1 = 0.5},
      {phase = "generator", loss = 1, params = ["gen."],
       optimizer = "adam", lr = 2.0e-4, beta1 = 0.5}]} {
  %gw1 = nn.param "gen.fc1.w" he_uniform seed = 1 : tensor<64x256xf32>
  %gb1 = nn.param "gen.fc1.b" zeros : tensor<256xf32>
  %gw2 = nn.param "gen.fc2.w" xavier_uniform seed = 2 : tensor<256x784xf32>
  %gb2 = nn.param "gen.fc2.b" zeros : tensor<784xf32>
  %dw1 = nn.param "disc.fc1.w" he_uniform seed = 3 : tensor<784x256xf32>
  %db1 = nn.param "disc.fc1.b" zeros : tensor<256xf32>
  %dw2 = nn.param "disc.fc2.w" xavier_uniform seed = 4 : tensor<256x1xf32>
  %db2 = nn.param "disc.fc2.b" zeros : tensor<1xf32>

  // Generator: G(z) in (0, 1), like the pixels.
  %z = nn.random_normal seed = 11 : tensor<64x64xf32>
  %g0 = nn.matmul %z, %gw1 : tensor<64x64xf32>, tensor<64x256xf32>
  %g1 = nn.add %g0, %gb1 : tensor<64x256xf32>, tensor<256xf32>
  %g2 = nn.leaky_relu %g1 alpha = 0.2 : tensor<64x256xf32>
  %g3 = nn.matmul %g2, %gw2 : tensor<64x256xf32>, tensor<256x784xf32>
  %g4 = nn.add %g3, %gb2 : tensor<64x784xf32>, tensor<784xf32>
  %fake = nn.sigmoid %g4 : tensor<64x784xf32>

  // Discriminator on the real batch and on the generated one.
  %r0 = nn.matmul %x, %dw1 : tensor<64x784xf32>, tensor<784x256xf32>
  %r1 = nn.add %r0, %db1 : tensor<64x256xf32>, tensor<256xf32>
  %r2 = nn.leaky_relu %r1 alpha = 0.2 : tensor<64x256xf32>
  %r3 = nn.matmul %r2, %dw2 : tensor<64x256xf32>, tensor<256x1xf32>
  %real = nn.add %r3, %db2 : tensor<64x1xf32>, tensor<1xf32>
  %f0 = nn.matmul %fake, %dw1 : tensor<64x784xf32>, tensor<784x256xf32>
  %f1 = nn.add %f0, %db1 : tensor<64x256xf32>, tensor<256xf32>
  %f2 = nn.leaky_relu %f1 alpha = 0.2 : tensor<64x256xf32>
  %f3 = nn.matmul %f2, %dw2 : tensor<64x256xf32>, tensor<256x1xf32>
  %gen = nn.add %f3, %db2 : tensor<64x1xf32>, tensor<1xf32>

  %ones = nn.constant dense<1.0> : tensor<64x1xf32>
  %zeros = nn.constant dense<0.0> : tensor<64x1xf32>
  %lr = nn.binary_cross_entropy %real, %ones : tensor<64x1xf32>
  %lf = nn.binary_cross_entropy %gen, %zeros : tensor<64x1xf32>
  %d_loss = nn.add %lr, %lf : tensor<f32>, tensor<f32>
  %g_loss = nn.binary_cross_entropy %gen, %ones : tensor<64x1xf32>

  // Accuracy: real logits > 0 and generated logits < 0.
  %zero = nn.constant dense<0.0> : tensor<f32>
  %one = nn.constant dense<1.0> : tensor<f32>
  %half = nn.constant dense<0.5> : tensor<f32>
  %rc = nn.compare gt, %real, %zero : tensor<64x1xf32>, tensor<f32>
  %fc = nn.compare lt, %gen, %zero : tensor<64x1xf32>, tensor<f32>
  %rs = nn.select %rc, %one, %zero : tensor<64x1xi1>, tensor<f32>, tensor<f32>
  %fs = nn.select %fc, %one, %zero : tensor<64x1xi1>, tensor<f32>, tensor<f32>
  %both = nn.add %rs, %fs : tensor<64x1xf32>, tensor<64x1xf32>
  %mean = nn.reduce_mean %both axes = [0, 1] : tensor<64x1xf32>
  %d_acc = nn.mul %mean, %half : tensor<f32>, tensor<f32>

  return %d_loss, %g_loss, %d_acc, %fake
      : tensor<f32>, tensor<f32>, tensor<f32>, tensor<64x784xf32>
}
