// booksmart train: trains the network on MNIST and saves it, reporting loss, test accuracy and time per
// epoch.
#include <chrono>
#include <cstdio>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/progress.h"
#include "core/io/file_bytes.h"
#include "core/io/model_files.h"
#include "core/train/evaluate.h"
#include "core/train/trainer.h"

namespace bs::cli {
namespace {

// PGD training needs a longer, gentler schedule than plain training: the adversarial batch keeps the loss
// high, and robust accuracy still climbs after clean accuracy has settled (docs/training.md, "Street-smart").
constexpr int kEpochs = 5, kPgdEpochs = 30;
constexpr float kPgdLrDecay = 0.85f;

struct TrainOptions {
  std::string kernels = "auto";
  int epochs = 0;  // 0: kEpochs, or kPgdEpochs with --pgd
  uint64_t seed = 1;
  std::string out = "booksmart.safetensors";
  std::string data = default_data_dir();
  std::string dataset = "mnist";  // --dataset: fashion chooses Fashion-MNIST's recipe
  std::string optimizer;
  float lr = 0, momentum = -1, lr_decay = -1, weight_decay = 0;
  bool decoupled = false;
  float input_noise = 0, fgsm = 0, init_scale = 1;
  float pgd = 0, pgd_ramp = -1;
  int pgd_steps = 7;
  std::string pgd_norm = "linf";
  bool pgd_mix = false;
  int batch = 0;
  size_t start_images = 0;
  bool json = false;
};

TrainConfig config_from(const TrainOptions& o) {
  TrainConfig c = o.dataset == "fashion" ? fashion_train_config() : default_train_config();
  if (!o.optimizer.empty()) {
    c.opt.kind = take(parse_optimizer(o.optimizer));
    // Each optimizer's usual scale unless --lr says otherwise.
    c.opt.lr = default_learning_rate(c.opt.kind);
  }
  if (o.lr > 0) c.opt.lr = o.lr;
  if (o.momentum >= 0) c.opt.momentum = o.momentum;
  if (o.pgd > 0) c.lr_decay = kPgdLrDecay;
  if (o.lr_decay >= 0) c.lr_decay = o.lr_decay;
  if (o.batch > 0) c.batch = o.batch;
  c.opt.weight_decay = o.weight_decay;
  c.opt.decoupled_decay = o.decoupled;
  c.input_noise = o.input_noise;
  if (o.fgsm > 0) c.adversarial = fgsm_training(o.fgsm);
  if (o.pgd > 0) {
    const Norm norm = take(parse_norm(o.pgd_norm));
    if (o.pgd > max_radius(norm, Arch{}.in))
      fail("--pgd " + std::to_string(o.pgd) + " is larger than any " + norm_name(norm) +
           " distance between two images (" + std::to_string(max_radius(norm, Arch{}.in)) + ")");
    c.adversarial = pgd_training(o.pgd, o.pgd_steps, norm);
    c.adversarial.mix_clean = o.pgd_mix;
    if (o.pgd_ramp >= 0) c.adversarial.ramp_epochs = o.pgd_ramp;
  }
  c.shuffle_seed = o.seed;
  c.start_images = o.start_images;
  return c;
}

int run(TrainOptions o) {
  if (o.epochs == 0) o.epochs = o.pgd > 0 ? kPgdEpochs : kEpochs;
  select_kernels(o.kernels);
  TrainConfig cfg = config_from(o);
  check(check_writable(o.out));
  Dataset train = load_split(o.data, Split::kTrain);
  Dataset test = load_split(o.data, Split::kTest);
  Model model = make_model(Arch{}, o.seed, o.init_scale);
  Trainer trainer(cfg, Arch{});
  Workspace eval_ws(Arch{}, 500);
  Progress progress(!o.json && stderr_is_terminal());
  nlohmann::json epochs = nlohmann::json::array();
  double total_secs = 0;
  double accuracy = 0;
  for (int e = 1; e <= o.epochs; ++e) {
    auto start = std::chrono::steady_clock::now();
    long long first = trainer.images_seen();
    do {
      trainer.train_steps(model.params, train, 50);
      progress.update("epoch " + std::to_string(e) + "/" + std::to_string(o.epochs),
                      trainer.images_seen() - first, (long long)train.size(), "img");
    } while (!trainer.epoch_just_ended());
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    total_secs += secs;
    progress.clear();
    Evaluation ev = evaluate(model.params, test, eval_ws);
    accuracy = ev.accuracy();
    epochs.push_back({{"epoch", e},
                      {"loss", trainer.epoch_loss()},
                      {"test_accuracy", accuracy},
                      {"test_loss", ev.loss},
                      {"seconds", secs}});
    if (!o.json) {
      std::printf("epoch %d  loss %.4f  test accuracy %.2f%%  %.2f s\n", e, trainer.epoch_loss(),
                  100 * accuracy, secs);
      std::fflush(stdout);
    }
  }
  char acc[32];
  std::snprintf(acc, sizeof acc, "%.4f", accuracy);
  model.metadata["epochs"] = std::to_string(o.epochs);
  model.metadata["optimizer"] = optimizer_name(cfg.opt.kind);
  model.metadata["lr"] = std::to_string(cfg.opt.lr);
  model.metadata["momentum"] = std::to_string(cfg.opt.momentum);
  model.metadata["lr_decay"] = std::to_string(cfg.lr_decay);
  model.metadata["weight_decay"] = std::to_string(cfg.opt.weight_decay);
  model.metadata["decoupled_decay"] = cfg.opt.decoupled_decay ? "1" : "0";
  model.metadata["input_noise"] = std::to_string(cfg.input_noise);
  const AdversarialConfig& adv = cfg.adversarial;
  model.metadata["fgsm_epsilon"] = std::to_string(o.fgsm > 0 ? o.fgsm : 0.0f);
  if (o.pgd > 0) {
    model.metadata["pgd_epsilon"] = std::to_string(adv.eps);
    model.metadata["pgd_steps"] = std::to_string(adv.steps);
    model.metadata["pgd_norm"] = norm_name(adv.norm);
    model.metadata["pgd_ramp_epochs"] = std::to_string(adv.ramp_epochs);
    model.metadata["pgd_mix_clean"] = adv.mix_clean ? "1" : "0";
  }
  model.metadata["init_scale"] = std::to_string(o.init_scale);
  model.metadata["batch"] = std::to_string(cfg.batch);
  model.metadata["shuffle_seed"] = std::to_string(cfg.shuffle_seed);
  model.metadata["test_accuracy"] = acc;
  check(save_model(o.out, model));
  if (o.json) {
    print_json({{"epochs", epochs}, {"test_accuracy", accuracy}, {"seconds", total_secs}, {"model", o.out}});
  } else {
    std::printf("saved %s (test accuracy %.2f%%, %.1f s training)\n", o.out.c_str(), 100 * accuracy,
                total_secs);
  }
  return 0;
}

}  // namespace

void add_train_command(CLI::App& app, std::function<int()>& action) {
  auto o = std::make_shared<TrainOptions>();
  CLI::App* cmd = app.add_subcommand("train", "Train the 784-64-64-10 network on MNIST and save it");
  cmd->add_option("--epochs", o->epochs, "Passes over the 60,000 training images (default 5; 30 with --pgd)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--seed", o->seed, "Seed for the initial weights and the shuffling")->check(seed_check());
  cmd->add_option("--out", o->out, "Model file to write (safetensors)");
  add_data_options(cmd, o->data, &o->dataset);
  cmd->add_option(
      "--optimizer", o->optimizer,
      "sgd (default, with momentum) or adam (default with --dataset fashion: lr 1e-3, lr decay 0.8)");
  cmd->add_option("--lr", o->lr, "Learning rate at the start")->check(CLI::PositiveNumber);
  cmd->add_option("--momentum", o->momentum, "SGD momentum (0 for plain SGD)")
      ->check(CLI::Range(0.0, 0.9999));
  cmd->add_option("--lr-decay", o->lr_decay,
                  "Learning-rate factor per epoch (1: constant; default 0.5, 0.8 with --dataset fashion, "
                  "0.85 with --pgd)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--weight-decay", o->weight_decay, "L2 weight decay on the weights")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_flag("--decoupled-decay", o->decoupled,
                "Decoupled weight decay (AdamW-style shrink of the weights) instead of L2 in the gradient");
  cmd->add_option("--input-noise", o->input_noise,
                  "Std-dev of Gaussian noise added to training images (0: off)")
      ->check(CLI::Range(0.0, 2.0));
  cmd->add_option("--fgsm", o->fgsm, "FGSM adversarial training with this epsilon (0: off)")
      ->check(CLI::Range(0.0, 1.0));
  auto* pgd = cmd->add_option("--pgd", o->pgd,
                              "PGD adversarial training (Madry et al.) within this radius (0: off); random "
                              "start, steps of 2.5 eps / K, trained on the adversarial batch alone")
                  ->check(CLI::Range(0.0, 28.0));
  cmd->add_option("--pgd-steps", o->pgd_steps, "PGD steps per batch (K)")->check(CLI::Range(1, 100));
  cmd->add_option("--pgd-norm", o->pgd_norm, "PGD ball: linf (default) or l2")
      ->check(CLI::IsMember({"linf", "l2"}));
  cmd->add_option("--pgd-ramp", o->pgd_ramp, "Epochs over which eps grows from 0 (default 1)")
      ->check(CLI::Range(0.0, 1000.0));
  cmd->add_flag("--pgd-mix", o->pgd_mix, "Step along the mean of the clean and the adversarial gradient");
  pgd->excludes(cmd->get_option("--fgsm"));
  cmd->add_option("--init-scale", o->init_scale, "Factor on the initial weights")
      ->check(CLI::Range(0.0, 10.0));
  cmd->add_option("--batch", o->batch, "Minibatch size")->check(CLI::Range(1, 4096));
  cmd->add_option(
      "--start-images", o->start_images,
      "Grow the first epochs: epoch e uses the first N * 2^e images (the page's schedule; 0: off)");
  cmd->add_option("--kernels", o->kernels, kKernelsHelp);
  cmd->add_flag("--json", o->json, "Print one JSON object instead of prose");
  cmd->callback([o, &action] { action = [o] { return run(*o); }; });
}

}  // namespace bs::cli
