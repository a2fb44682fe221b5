// The matrix kernels for CPUs with AVX-512F (this file is compiled with those instructions enabled;
// matmul.cpp calls into it only after checking the CPU has them).
#include "core/nn/matmul_kernels.h"

BOOKSMART_DEFINE_KERNELS(avx512, V512)
