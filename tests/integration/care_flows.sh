#!/usr/bin/env bash
# Both citizen flows in 关怀版 (large text, larger targets): check-in by the couple's cards and
# the joint application, against registryd and the simulators, every step reachable and
# legible; the screenshots are those of docs/screenshots/*_care.png.
source "$(dirname "$0")/lib.sh"

check "registryd starts" registry_up
"$bin/kioskctl" appointments import "$top/tests/data/appointments/checkin.csv" "${R[@]}" >/dev/null
check "the device simulators start" sims_up
kiosk_ini "$work/kiosk.ini"
cards=$top/tests/data/cards
cat >"$work/checkin.script" <<SCRIPT
clock 2026-11-23T09:10
wait 已连接登记中心 20000
card $cards/resident_male.json
wait-screen checkin.parties 15000
shot checkin_parties_care
card none
card $cards/resident_female_long.json
wait-screen checkin.done 15000
wait 回执已打印 10000
shot checkin_done_care
tap 返回首页
card none
SCRIPT
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
check "check-in in 关怀版" "$bin/kiosk" --headless --theme care --config "$work/kiosk.ini" \
    --state-dir "$work/state" --script "$work/checkin.script" --screenshot-dir "$work/shots"
cat >"$work/joint.script" <<SCRIPT
clock 2026-11-23T10:00
tap 婚育户一件事
shot joint_start_care
tap 开始办理
tap @svc_maternity
tap @svc_hukou
shot joint_services_care
tap 下一步
shot joint_consent_care
tap 已阅读，下一步
expect-screen joint.party_a
shot joint_party_a_care
card $cards/resident_male.json
wait-screen joint.party_a_form 15000
shot joint_party_a_form_care
tap @f_a.occupation
shot joint_choice_care
tap 专业技术人员
tap @f_a.education
tap 大学本科
tap 下一页
tap 未婚
tap @f_a.phone
press 13800000001
shot joint_typing_care
tap 完成
tap 下一步
expect-screen joint.party_b
card none
card $cards/resident_female_long.json
wait-screen joint.party_b_form 15000
tap @f_b.occupation
tap 办事人员和有关人员
tap @f_b.education
tap 大学专科
tap 下一页
tap 离婚
tap @f_b.phone
press 13900000002
tap 完成
tap 下一步
expect-screen joint.maternity
tap 同男方证件住址
tap 无
tap 下一页
tap 第一个孩子
shot joint_maternity_care
tap 下一页
tap 户籍地
tap @f_m.commitment
tap 下一步
expect-screen joint.hukou
tap 女方（乙方）
tap @f_h.to_district
tap 芝罘区
shot joint_hukou_care
tap 下一页
tap @s_h.to_street_0
tap @f_h.head_is_spouse
tap 下一页
tap 自有房产
tap 下一页
tap 无
tap 同女方电话
tap 下一步
expect-screen joint.review
shot joint_review_care
tap 下一页
shot joint_review_2_care
tap 下一页
tap 下一页
tap 下一页
tap 信息无误，下一步
expect-screen joint.confirm
card none
card $cards/resident_male.json
wait 已确认 15000
shot joint_confirm_care
card none
card $cards/resident_female_long.json
wait-screen joint.done 15000
wait 回执已打印 10000
shot joint_done_care
tap 返回首页
card none
SCRIPT
check "the joint application in 关怀版" "$bin/kiosk" --headless --theme care --config "$work/kiosk.ini" \
    --state-dir "$work/state" --script "$work/joint.script" --screenshot-dir "$work/shots"
check "every step was shot" test "$(ls "$work/shots" | wc -l)" -eq 15
[ -z "${CARE_SHOTS:-}" ] || cp "$work"/shots/*.png "$CARE_SHOTS/"
finish
