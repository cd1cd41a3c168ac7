namespace tools {
inline int answer() { return 42; }
}  // namespace tools
