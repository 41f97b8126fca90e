#!/usr/bin/env bash
# demo-appointments.sh OFFICE [YYYY-MM-DD [HH:MM]]: a day's synthetic appointments for an office,
# as the CSV that `kioskctl appointments import` takes (see registry/appt_csv.h): one couple
# every half hour from 09:00 to 16:30, China Standard Time; and, booked for the half hour that
# holds HH:MM (default: now), the couple of the test cards tests/data/cards/resident_male.json
# and resident_female_long.json, booking number OFFICE-DATE-00, so that the demo's printed
# examples check in whenever it runs. Names and ID numbers are made up (the
# ID numbers carry a valid GB 11643 check digit so that the kiosk's checks accept them); the
# booking numbers are OFFICE-DATE-NN, as printed on the booking QR codes of the demo.
set -euo pipefail
office=${1:?usage: $0 OFFICE [YYYY-MM-DD]}
day=${2:-$(TZ=Asia/Shanghai date +%F)}
now=${3:-$(TZ=Asia/Shanghai date +%H:%M)}
[[ $office =~ ^[0-9]{6}$ ]] || { echo "demo-appointments: OFFICE must be 6 digits" >&2; exit 2; }
[[ $day =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || { echo "demo-appointments: date YYYY-MM-DD" >&2; exit 2; }
[[ $now =~ ^([01][0-9]|2[0-3]):[0-5][0-9]$ ]] || { echo "demo-appointments: time HH:MM" >&2; exit 2; }

weights=(7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2)
checks=(1 0 X 9 8 7 6 5 4 3 2)
# id_number PREFIX6 BIRTH8 SEQ3: the 18-digit number with its check digit
id_number() {
    local body="$1$2$3" sum=0 i
    for ((i = 0; i < 17; i++)); do sum=$((sum + ${body:i:1} * weights[i])); done
    echo "$body${checks[sum % 11]}"
}
men=(张伟 王磊 李强 刘洋 陈杰 杨帆 赵鹏 黄涛 周宇 吴昊 徐斌 孙浩 马骏 朱明 胡亮 郭峰)
women=(王芳 李娜 张敏 刘静 陈丽 杨雪 赵婷 黄丹 周燕 吴倩 徐慧 孙悦 马琳 朱颖 胡蓉 郭萍)
year=${day:0:4}
echo "id,office,booking_no,slot_start,slot_end,party_a_id,party_a_name,party_b_id,party_b_name"
for n in $(seq 0 15); do
    h=$((9 + n / 2)) m=$(((n % 2) * 30))
    start=$(printf '%s %02d:%02d' "$day" "$h" "$m")
    end_m=$((h * 60 + m + 30))
    end=$(printf '%s %02d:%02d' "$day" $((end_m / 60)) $((end_m % 60)))
    no=$(printf '%02d' $((n + 1)))
    # the man 25-36, the woman 23-34 years old; odd 17th digit for men, even for women
    a=$(id_number "$office" "$((year - 25 - n % 12))$(printf '%02d%02d' $((1 + n % 12)) $((3 + n)))" "$(printf '%02d1' "$n")")
    b=$(id_number 370613 "$((year - 23 - n % 12))$(printf '%02d%02d' $((12 - n % 12)) $((10 + n)))" "$(printf '%02d2' "$n")")
    echo "DEMO-$office-$day-$no,$office,$office-${day//-/}-$no,$start,$end,$a,${men[n]},$b,${women[n]}"
done
# the test cards' couple, in the half hour that holds $now (its end may be the next day's 00:00:
# the slot then ends at 23:59)
nh=$((10#${now:0:2})) nm=$(( (10#${now:3:2} / 30) * 30 ))
end_m=$((nh * 60 + nm + 30)); [ "$end_m" -ge 1440 ] && end_m=1439
printf 'DEMO-%s-%s-00,%s,%s-%s-00,%s %02d:%02d,%s %02d:%02d,370602199503123011,郑测涛,370613196811302041,马试兰\n' \
    "$office" "$day" "$office" "$office" "${day//-/}" "$day" "$nh" "$nm" "$day" $((end_m / 60)) $((end_m % 60))
