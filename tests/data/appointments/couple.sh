#!/usr/bin/env bash
# couple.sh [DAYS]: a CSV of the test couple's marriage booking (马试兰 and 郑测涛, the cards
# resident_female_long and resident_male) at office 370602, DAYS (default 30) days from today
# at 09:00 China time: 婚育户一件事 follows it. Its booking number is 370602-YYYYMMDD-30.
set -euo pipefail
day=$(TZ=Asia/Shanghai date -d "+${1:-30} days" +%Y-%m-%d)
echo "id,office,booking_no,type,slot_start,slot_end,party_a_id,party_a_name,party_b_id,party_b_name"
echo "J-BOOKED,370602,370602-${day//-/}-30,marriage,$day 09:00,$day 09:30,370613196811302041,马试兰,370602199503123011,郑测涛"
