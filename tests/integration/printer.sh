#!/usr/bin/env bash
# The real printer driver (escpos-print) against escpos-sim over TCP and over a pty: a receipt
# rendered by the simulator has a QR code that zbarimg decodes to the exact payload, native and
# raster; status flags come through; silence and garbage are "unknown", never "ok".
source "$(dirname "$0")/lib.sh"

"$bin/escpos-sim" --listen "127.0.0.1:0" --out "$work/jobs" --control "$work/p.ctl" 2>"$work/sim.log" &
pids+=($!)
port=$(bound_port "$work/sim.log")
for i in $(seq 50); do [ -S "$work/p.ctl" ] && break; sleep 0.1; done
addr="tcp:127.0.0.1:$port"
qr() { zbarimg -q --raw "$1" 2>/dev/null; }

payload="R1-20261123-0042-7Q3XK9"
check "a receipt with a native QR code is sent" "$bin/escpos-print" "$addr" --qr "$payload"
check "and rendered" wait_for "job 1" 5 "$work/sim.log"
check "zbarimg reads the native QR code exactly" test "$(qr "$work/jobs/0001.png")" = "$payload"
check "a receipt with a raster QR code is sent" "$bin/escpos-print" "$addr" --qr "$payload-R" --raster
check "and rendered" wait_for "job 2" 5 "$work/sim.log"
check "zbarimg reads the raster QR code exactly" test "$(qr "$work/jobs/0002.png")" = "$payload-R"
check "escpos-render renders the same bytes the same way" "$bin/escpos-render" "$work/jobs/0001.bin" "$work/again.png"
check "its QR code reads too" test "$(qr "$work/again.png")" = "$payload"

capture "$bin/escpos-print" "$addr" --text "王𪚥"
check "a character outside the printer's code page is refused (exit 3)" test "$rc" -eq 3

capture "$bin/escpos-print" "$addr" --status
check "status ok" test "$rc" -eq 0 -a "$out" = ok
"$bin/simctl" "$work/p.ctl" status paper_out >/dev/null
capture "$bin/escpos-print" "$addr" --status
check "paper out is reported" test "$rc" -eq 1
check "by name" grep -q "paper out" <<<"$out"
"$bin/simctl" "$work/p.ctl" status cover_open near_end >/dev/null
capture "$bin/escpos-print" "$addr" --status
check "cover open and paper near end" grep -q "cover open, paper near end" <<<"$out"
"$bin/simctl" "$work/p.ctl" status silent >/dev/null
capture "$bin/escpos-print" "$addr" --status
check "a printer that does not answer is unknown (exit 4), not ok" test "$rc" -eq 4
"$bin/simctl" "$work/p.ctl" status garbage >/dev/null
capture "$bin/escpos-print" "$addr" --status
check "a printer answering garbage is unknown (exit 4)" test "$rc" -eq 4
check "with the byte named" grep -q "status answer FF is not one" <<<"$out"
"$bin/simctl" "$work/p.ctl" status ok >/dev/null

capture "$bin/escpos-print" "tcp:127.0.0.1:1" --status
check "no printer there: exit 5 with a reason" test "$rc" -eq 5
capture "$bin/escpos-print" "parallel:/dev/lp0"
check "an unknown address scheme: exit 5" test "$rc" -eq 5

# The same driver over a serial line (a pty).
"$bin/escpos-sim" --link "$work/printer-tty" --out "$work/serial-jobs" 2>"$work/sim2.log" &
pids+=($!)
for i in $(seq 50); do [ -e "$work/printer-tty" ] && break; sleep 0.1; done
check "a receipt over a serial line" "$bin/escpos-print" "serial:$work/printer-tty@115200" --qr "SERIAL-1"
check "is rendered" wait_for "job 1" 5 "$work/sim2.log"
check "with its QR code" test "$(qr "$work/serial-jobs/0001.png")" = "SERIAL-1"
# The usblp transport is a device file with timeouts: the same pty stands in for /dev/usb/lp0.
check "a receipt through the usblp transport" "$bin/escpos-print" "usblp:$work/printer-tty" --qr "USBLP-2" --raster
check "is rendered" wait_for "job 2" 5 "$work/sim2.log"
check "with its raster QR code" test "$(qr "$work/serial-jobs/0002.png")" = "USBLP-2"
capture "$bin/escpos-print" "usblp:$work/no-printer"
check "no such usblp device: exit 5" test "$rc" -eq 5
finish
