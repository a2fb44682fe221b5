// Training steps allocate nothing once the trainer is warm. This binary is linked with -Wl,--wrap=malloc so
// every malloc from our code (Eigen's aligned_malloc included) is counted, and it replaces operator new.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "core/analysis/optimized_image.h"
#include "core/model/model.h"
#include "core/train/trainer.h"
#include "tests/core/test_util.h"

static std::atomic<long> g_allocations{0};

extern "C" void* __real_malloc(size_t size);
extern "C" void* __wrap_malloc(size_t size) {
  ++g_allocations;
  return __real_malloc(size);
}

void* operator new(size_t size) {
  ++g_allocations;
  if (void* p = std::malloc(size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, size_t) noexcept {
  std::free(p);
}

namespace bs {
namespace {

TEST(Trainer, StepsAllocateNothingOnceWarm) {
  Dataset data = test::random_dataset(300, 4);
  for (OptimizerKind kind : {OptimizerKind::kSgd, OptimizerKind::kAdam}) {
    Model m = make_model(Arch{}, 1);
    TrainConfig c = default_train_config();
    c.opt.kind = kind;
    if (kind == OptimizerKind::kAdam) c.adversarial = pgd_training(0.1f, 3, Norm::kL2);  // random starts too
    Trainer t(c, Arch{});
    t.train_steps(m.params, data, 3);  // first epoch start sizes the permutation
    long before = g_allocations.load();
    t.train_steps(m.params, data, 5);
    EXPECT_EQ(g_allocations.load() - before, 0) << optimizer_name(kind);
    before = g_allocations.load();
    t.train_steps(m.params, data, 40);  // enough steps for layer 1 input-major (trainer.h), where it applies
    EXPECT_EQ(g_allocations.load() - before, 0) << optimizer_name(kind) << ", 40 steps";
  }
}

// Allocations made by an ascent's construction and begin(), borrowing the weights or copying them.
long ascent_allocations(const Params& p, bool borrow) {
  const long before = g_allocations.load();
  {
    InputAscent ascent;
    ascent.begin(p, NeuronId{3, 0}, OptimizeSettings{}, borrow);
  }
  return g_allocations.load() - before;
}

TEST(InputAscent, ABorrowingOneAllocatesNoneOfTheSixWeightTensors) {
  const Model m = make_model(Arch{}, 1);
  EXPECT_EQ(ascent_allocations(m.params, false) - ascent_allocations(m.params, true), 6);
}

TEST(AllocationCounter, SeesEigenAllocations) {
  long before = g_allocations.load();
  Mat big(300, 300);
  asm volatile("" : : "g"(big.data()) : "memory");  // keep the compiler from eliding the allocation
  EXPECT_GT(g_allocations.load() - before, 0)
      << "the counter would miss allocations: the test above proves nothing";
}

}  // namespace
}  // namespace bs
