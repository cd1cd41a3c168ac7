// The double decompositions behind approximations (declared in linalg/eigen_support.hpp): compiled
// here once. Eigen's decomposition constructors are member templates, which an explicit
// instantiation of the class does not cover, so every file that constructed a JacobiSVD compiled
// the solver again, with its QR preconditioner (check.cpp and domains.cpp among them).
#include "certbound/linalg/eigen_support.hpp"

#include <Eigen/SVD>
#include <Eigen/Eigenvalues>

namespace certbound::linalg {

double largest_singular_value(const Eigen::MatrixXd& m) {
  if (m.size() == 0) return 0.0;
  return Eigen::JacobiSVD<Eigen::MatrixXd>(m).singularValues()(0);
}

Eigen::VectorXd top_right_singular_vector(const Eigen::MatrixXd& m) {
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(m, Eigen::ComputeThinV);
  return svd.matrixV().col(0);
}

Eigen::VectorXd top_eigenvector(const Eigen::MatrixXd& symmetric) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(symmetric);
  return eig.eigenvectors().col(symmetric.cols() - 1);
}

}  // namespace certbound::linalg
