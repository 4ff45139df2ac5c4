#include <cstdio>
int main() { std::puts("survkit"); return 0; }
