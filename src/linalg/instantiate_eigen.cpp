// The double decompositions declared extern in linalg/eigen_support.hpp, instantiated once for the
// whole program.
#include "certbound/linalg/eigen_support.hpp"

template class Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>;
template class Eigen::JacobiSVD<Eigen::MatrixXd>;
