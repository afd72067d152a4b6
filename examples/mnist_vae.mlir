// A variational autoencoder on MNIST (Kingma & Welling): an MLP encoder
// (784 -> 400 -> mean and log-variance of a 20-d Gaussian), the
// reparameterization z = mu + exp(logvar / 2) * eps with eps from
// `nn.random_normal`, and an MLP decoder (20 -> 400 -> 784 logits).
//
// The loss is the negative ELBO per image: the Bernoulli reconstruction
// term (binary cross-entropy with logits, summed over the pixels) plus
// KL(q(z|x) || N(0, I)) (`nn.kl_divergence`, summed over z); both are
// averaged over the batch and also reported on their own. After each epoch
// the trainer writes two PNG grids (`nn.image`): reconstructions of the
// first held-out images, and decodings of 64 fixed draws from the prior.
//
//   kilnc examples/mnist_vae.mlir -o mnist_vae
//   ./mnist_vae --data data/mnist --epochs 10 --image-dir vae-images

func.func @mnist_vae(%x: tensor<128x784xf32> {nn.name = "x"})
    -> (tensor<f32> {nn.name = "neg_elbo"}, tensor<f32> {nn.name = "recon"},
        tensor<f32> {nn.name = "kl"},
        tensor<64x784xf32> {nn.image = "reconstructions"},
        tensor<64x784xf32> {nn.image = "samples"})
    attributes {nn.train = {optimizer = "adam", lr = 1.0e-3}} {
  %ew1 = nn.param "enc.fc1.w" he_uniform seed = 1 : tensor<784x400xf32>
  %eb1 = nn.param "enc.fc1.b" zeros : tensor<400xf32>
  %wmu = nn.param "enc.mu.w" xavier_uniform seed = 2 : tensor<400x20xf32>
  %bmu = nn.param "enc.mu.b" zeros : tensor<20xf32>
  %wlv = nn.param "enc.logvar.w" xavier_uniform seed = 3 : tensor<400x20xf32>
  %blv = nn.param "enc.logvar.b" zeros : tensor<20xf32>
  %dw1 = nn.param "dec.fc1.w" he_uniform seed = 4 : tensor<20x400xf32>
  %db1 = nn.param "dec.fc1.b" zeros : tensor<400xf32>
  %dw2 = nn.param "dec.fc2.w" xavier_uniform seed = 5 : tensor<400x784xf32>
  %db2 = nn.param "dec.fc2.b" zeros : tensor<784xf32>

  // Encoder.
  %e0 = nn.matmul %x, %ew1 : tensor<128x784xf32>, tensor<784x400xf32>
  %e1 = nn.add %e0, %eb1 : tensor<128x400xf32>, tensor<400xf32>
  %h = nn.relu %e1 : tensor<128x400xf32>
  %m0 = nn.matmul %h, %wmu : tensor<128x400xf32>, tensor<400x20xf32>
  %mu = nn.add %m0, %bmu : tensor<128x20xf32>, tensor<20xf32>
  %v0 = nn.matmul %h, %wlv : tensor<128x400xf32>, tensor<400x20xf32>
  %logvar = nn.add %v0, %blv : tensor<128x20xf32>, tensor<20xf32>

  // Reparameterization.
  %half = nn.constant dense<0.5> : tensor<f32>
  %eps = nn.random_normal seed = 7 : tensor<128x20xf32>
  %hv = nn.mul %logvar, %half : tensor<128x20xf32>, tensor<f32>
  %std = nn.exp %hv : tensor<128x20xf32>
  %noise = nn.mul %std, %eps : tensor<128x20xf32>, tensor<128x20xf32>
  %z = nn.add %mu, %noise : tensor<128x20xf32>, tensor<128x20xf32>

  // Decoder on z.
  %d0 = nn.matmul %z, %dw1 : tensor<128x20xf32>, tensor<20x400xf32>
  %d1 = nn.add %d0, %db1 : tensor<128x400xf32>, tensor<400xf32>
  %d2 = nn.relu %d1 : tensor<128x400xf32>
  %d3 = nn.matmul %d2, %dw2 : tensor<128x400xf32>, tensor<400x784xf32>
  %logits = nn.add %d3, %db2 : tensor<128x784xf32>, tensor<784xf32>

  // Negative ELBO per image.
  %inv_batch = nn.constant dense<7.812500e-03> : tensor<f32>
  %bce = nn.binary_cross_entropy %logits, %x reduction = sum : tensor<128x784xf32>
  %recon = nn.mul %bce, %inv_batch : tensor<f32>, tensor<f32>
  %kl = nn.kl_divergence %mu, %logvar : tensor<128x20xf32>, tensor<128x20xf32>
  %loss = nn.add %recon, %kl : tensor<f32>, tensor<f32>

  // Images: the first 64 reconstructions, and the decoder on 64 draws
  // from the prior.
  %probs = nn.sigmoid %logits : tensor<128x784xf32>
  %recons = nn.slice %probs offsets = [0, 0] sizes = [64, 784] strides = [1, 1] : tensor<128x784xf32>
  %prior = nn.random_normal seed = 8 : tensor<64x20xf32>
  %s0 = nn.matmul %prior, %dw1 : tensor<64x20xf32>, tensor<20x400xf32>
  %s1 = nn.add %s0, %db1 : tensor<64x400xf32>, tensor<400xf32>
  %s2 = nn.relu %s1 : tensor<64x400xf32>
  %s3 = nn.matmul %s2, %dw2 : tensor<64x400xf32>, tensor<400x784xf32>
  %s4 = nn.add %s3, %db2 : tensor<64x784xf32>, tensor<784xf32>
  %samples = nn.sigmoid %s4 : tensor<64x784xf32>

  return %loss, %recon, %kl, %recons, %samples
      : tensor<f32>, tensor<f32>, tensor<f32>, tensor<64x784xf32>,
        tensor<64x784xf32>
}
