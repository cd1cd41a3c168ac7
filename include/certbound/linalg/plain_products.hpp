// Eigen's matrix products over the certified scalars, as plain loops.
//
// For a dense product of dynamic size Eigen calls its cache-blocked kernels (GEMM: gebp_kernel,
// gemm_pack_lhs/rhs; GEMV: general_matrix_vector_product), written for SIMD packets of float and
// double. Over an interval or MPFI scalar they gain nothing (one scalar per "packet", every
// operation a function call) but cost the compiler dearly: they were about 1 MB of the 11 MB of
// code in the objects of the program and the tests, instantiated again in every file that
// multiplied two interval matrices, at each of the four certified scalar types. The partial
// specialisations below replace the two entry points by plain loops for those scalars (Eigen's own
// code stays in use for double). Run time is unchanged (callgrind instruction counts of `check`
// and `prove` within 0.03%): the products that matter go through linalg/products.hpp.
//
// Soundness does not depend on the order of the sums: every operation is an interval operation,
// which encloses the exact result of its operands whatever they are, so any evaluation order of
// Σₖ lhs(i,k)·rhs(k,j) encloses the exact product. alpha (Eigen's scale factor, 1 for a plain
// product and −1 for `res -= A·B`) is applied once per entry, as an interval product.
//
// Eigen 3.4 internal API: the signatures of general_matrix_matrix_product::run and
// general_matrix_vector_product::run below are those of Eigen/src/Core/products/GeneralMatrix*.h;
// re-check them on an upgrade (a changed signature fails to compile; a new dispatch path that
// bypasses them would only bring the compile cost back, since Eigen's kernels are sound too).
#pragma once

#include <Eigen/Core>

#include "certbound/arith/interval.hpp"
#include "certbound/arith/mp_interval.hpp"

namespace certbound::linalg::detail {

/// res(i, j) += alpha · Σₖ lhs(i, k) · rhs(k, j), result column-major with inner stride res_incr.
template <class S, class Index, int LhsOrder, int RhsOrder>
void plain_gemm(Index rows, Index cols, Index depth, const S* lhs, Index lhs_stride, const S* rhs,
                Index rhs_stride, S* res, Index res_incr, Index res_stride, const S& alpha) {
  auto l = [&](Index i, Index k) -> const S& {
    return LhsOrder == Eigen::ColMajor ? lhs[i + k * lhs_stride] : lhs[i * lhs_stride + k];
  };
  auto r = [&](Index k, Index j) -> const S& {
    return RhsOrder == Eigen::ColMajor ? rhs[k + j * rhs_stride] : rhs[k * rhs_stride + j];
  };
  for (Index j = 0; j < cols; ++j)
    for (Index i = 0; i < rows; ++i) {
      S sum(0);
      for (Index k = 0; k < depth; ++k) sum += l(i, k) * r(k, j);
      res[i * res_incr + j * res_stride] += alpha * sum;
    }
}

/// res[i · res_incr] += alpha · Σⱼ lhs(i, j) · rhs(j, 0), through Eigen's data mappers.
template <class S, class Index, class LhsMapper, class RhsMapper>
void plain_gemv(Index rows, Index cols, const LhsMapper& lhs, const RhsMapper& rhs, S* res, Index res_incr,
                const S& alpha) {
  for (Index i = 0; i < rows; ++i) {
    S sum(0);
    for (Index j = 0; j < cols; ++j) sum += lhs(i, j) * rhs(j, 0);
    res[i * res_incr] += alpha * sum;
  }
}

}  // namespace certbound::linalg::detail

namespace Eigen::internal {

// GEMM with a column-major result (Eigen turns a row-major result into this case by transposing).
#define CERTBOUND_PLAIN_GEMM(TEMPLATE_HEAD, S)                                                            \
  template <typename Index, int LhsOrder, bool ConjLhs, int RhsOrder, bool ConjRhs, int ResInnerStride TEMPLATE_HEAD> \
  struct general_matrix_matrix_product<Index, S, LhsOrder, ConjLhs, S, RhsOrder, ConjRhs, ColMajor,       \
                                       ResInnerStride> {                                                  \
    using Traits = gebp_traits<S, S>; /* read by gemm_functor (its blocking sizes) */                   \
    using ResScalar = S;                                                                                  \
    static void run(Index rows, Index cols, Index depth, const S* lhs, Index lhs_stride, const S* rhs,    \
                    Index rhs_stride, S* res, Index res_incr, Index res_stride, S alpha,                  \
                    level3_blocking<S, S>&, GemmParallelInfo<Index>* = 0) {                               \
      certbound::linalg::detail::plain_gemm<S, Index, LhsOrder, RhsOrder>(                                \
          rows, cols, depth, lhs, lhs_stride, rhs, rhs_stride, res, res_incr, res_stride, alpha);          \
    }                                                                                                     \
  };

#define CERTBOUND_PLAIN_GEMV(TEMPLATE_HEAD, S, ORDER)                                                     \
  template <typename Index, typename LhsMapper, bool ConjLhs, typename RhsMapper, bool ConjRhs,          \
            int Version TEMPLATE_HEAD>                                                                    \
  struct general_matrix_vector_product<Index, S, LhsMapper, ORDER, ConjLhs, S, RhsMapper, ConjRhs, Version> { \
    using ResScalar = S;                                                                                  \
    static void run(Index rows, Index cols, const LhsMapper& lhs, const RhsMapper& rhs, S* res,           \
                    Index res_incr, S alpha) {                                                            \
      certbound::linalg::detail::plain_gemv<S>(rows, cols, lhs, rhs, res, res_incr, alpha);              \
    }                                                                                                     \
  };

#define CERTBOUND_COMMA ,
CERTBOUND_PLAIN_GEMM(, certbound::Interval)
CERTBOUND_PLAIN_GEMM(CERTBOUND_COMMA unsigned D, certbound::MpIntervalDigits<D>)
CERTBOUND_PLAIN_GEMV(, certbound::Interval, ColMajor)
CERTBOUND_PLAIN_GEMV(, certbound::Interval, RowMajor)
CERTBOUND_PLAIN_GEMV(CERTBOUND_COMMA unsigned D, certbound::MpIntervalDigits<D>, ColMajor)
CERTBOUND_PLAIN_GEMV(CERTBOUND_COMMA unsigned D, certbound::MpIntervalDigits<D>, RowMajor)
#undef CERTBOUND_COMMA
#undef CERTBOUND_PLAIN_GEMV
#undef CERTBOUND_PLAIN_GEMM

}  // namespace Eigen::internal
