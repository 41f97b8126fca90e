/* escpos-print: prints a test receipt on a printer, or asks its status. For staff checking a
 * printer and for the tests.
 *
 *   escpos-print ADDRESS [--qr DATA] [--raster] [--status] [--text UTF8]
 *
 * ADDRESS is tcp:HOST:PORT, usblp:/dev/usb/lpN or serial:/dev/ttyX[@BAUD]. --raster sends the
 * QR code as a raster image (printers without GS ( k). --text adds a line; a line the printer's
 * code page cannot hold is refused with exit 3 (the kiosk prints such lines as images).
 * --status prints "ok", the problems, or "unknown" (exit 0, 1 and 4). Exit 2 for bad
 * arguments, 5 when the printer cannot be reached or the job cannot be sent. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "escpos.h"
#include "printer.h"

int main(int argc, char **argv) {
    static const struct option opts[] = {
        {"qr", required_argument, 0, 'q'}, {"raster", no_argument, 0, 'r'},
        {"status", no_argument, 0, 's'},   {"text", required_argument, 0, 't'},
        {"help", no_argument, 0, 'h'},     {0, 0, 0, 0}};
    const char *qr = "KIOSK-TEST-RECEIPT", *text = NULL;
    int raster = 0, status = 0, c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'q':
            qr = optarg;
            break;
        case 'r':
            raster = 1;
            break;
        case 's':
            status = 1;
            break;
        case 't':
            text = optarg;
            break;
        case 'h':
            printf("usage: escpos-print ADDRESS [--qr DATA] [--raster] [--status] [--text UTF8]\n");
            return 0;
        default:
            fprintf(stderr, "escpos-print: unknown or incomplete option %s\n", argv[optind - 1]);
            return 2;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "escpos-print: usage: escpos-print ADDRESS [options]\n");
        return 2;
    }
    struct printer p;
    if (printer_open(&p, argv[optind], 3000) != 0) {
        fprintf(stderr, "escpos-print: %s\n", p.error);
        return 5;
    }
    if (status) {
        unsigned flags = 0;
        enum printer_status_kind k = printer_status(&p, &flags, 500);
        char what[128];
        printer_flags_text(flags, what, sizeof what);
        printf("%s\n", k == PRINTER_STATUS_UNKNOWN ? "unknown" : what);
        if (k == PRINTER_STATUS_UNKNOWN)
            fprintf(stderr, "escpos-print: %s\n", p.error);
        printer_close(&p);
        return k == PRINTER_STATUS_OK ? 0 : k == PRINTER_STATUS_PROBLEM ? 1 : 4;
    }
    static uint8_t mem[1 << 16];
    struct escpos_buf b;
    escpos_begin(&b, mem, sizeof mem);
    if (text) {
        /* a line of the caller's first, to check what the printer's code page holds */
        escpos_init(&b);
        if (escpos_text(&b, text) != 0) {
            fprintf(stderr, "escpos-print: the printer's code page cannot hold that text\n");
            printer_close(&p);
            return 3;
        }
        escpos_text(&b, "\n");
    }
    escpos_test_receipt(&b, qr, raster);
    int rc = 0;
    if (rc != 0 || b.overflow) {
        fprintf(stderr, "escpos-print: the receipt does not fit the buffer\n");
        printer_close(&p);
        return 2;
    }
    if (printer_send(&p, b.data, b.len, 5000) != 0) {
        fprintf(stderr, "escpos-print: %s\n", p.error);
        printer_close(&p);
        return 5;
    }
    printer_close(&p);
    return 0;
}
