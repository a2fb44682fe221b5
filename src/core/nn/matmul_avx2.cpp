// The matrix kernels for CPUs with AVX2 and FMA (this file is compiled with those instructions enabled;
// matmul.cpp calls into it only after checking the CPU has them).
#include "core/nn/matmul_kernels.h"

BOOKSMART_DEFINE_KERNELS(avx2, V256)
