// The translation unit that builds the shared precompiled header (CMakeLists.txt, certbound_pch);
// every library, the obligation files and the command line reuse it.
