namespace app::detail::inner {
inline int answer() { return 42; }
}  // namespace app::detail::inner
