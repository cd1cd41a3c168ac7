#define SQUARE(x) \
  ((x) * (x))
int nine() { return SQUARE(3); }
#undef SQUARE
