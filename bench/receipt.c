/* bench_receipt: how long building a receipt's ESC/POS bytes takes (target: 1 ms), with a
 * native QR code and with the raster fallback. Prints one table row each. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "escpos.h"

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void run(const char *name, bool raster) {
    static uint8_t mem[1 << 16];
    enum { N = 2000 };
    static double t[N];
    size_t bytes = 0;
    for (int i = 0; i < N; i++) {
        struct escpos_buf b;
        double t0 = now_us();
        escpos_begin(&b, mem, sizeof mem);
        escpos_test_receipt(&b, "R1-20261123-0042-7Q3XK9-SIGNATURE-0123456789ABCDEF", raster);
        t[i] = now_us() - t0;
        bytes = b.len;
    }
    qsort(t, N, sizeof t[0], cmp);
    printf("| receipt build, %s QR (median of %d; p99) | %.3f ms; %.3f ms (%zu bytes) | ≤ 1 ms |\n",
           name, N, t[N / 2] / 1000, t[N * 99 / 100] / 1000, bytes);
}

int main(void) {
    run("native", false);
    run("raster", true);
    return 0;
}
