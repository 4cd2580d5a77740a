"""Seed the public site's supervision channels and service standards (admins edit them in the
Django admin: 门户 → 监督渠道 / 服务标准). The numbers are placeholders to replace on install."""

from django.db import migrations

CHANNELS = [
    ("phone", "效能投诉监督电话", "0000-12345678", "工作日 8:00—12:00，14:30—17:30", 10),
    ("phone", "12345政务服务便民热线", "12345", "全天24小时", 20),
    ("mailbox", "效能投诉信箱", "县卫生健康委员会一楼大厅", "每周一、周四开箱", 30),
    ("email", "电子邮箱", "xiaoneng@example.gov.cn", "", 40),
    ("web", "网上投诉举报", "/public/submit/", "本网站“我要投诉 / 我要举报”", 50),
]

STANDARDS = [
    ("首问负责制", "首位接待您的工作人员负责到底，不推诿、不扯皮。", 10),
    ("限时办结制", "投诉举报按规定时限办理并答复，逾期的逐级提级督办。", 20),
    ("一次告知制", "不予受理的，一次性告知理由；需要补充材料的，一次性告知清楚。", 30),
    ("有访必复", "每一件投诉都有答复，您可以凭查询码查看办理进度并评价。", 40),
    ("保护投诉人", "投诉人信息依法保密，不向被投诉单位和个人透露；可以匿名投诉。", 50),
]


def seed_portal(SupervisionChannel, ServiceStandard):
    """Also used by tests whose database is flushed (browser tests)."""
    if not SupervisionChannel.objects.exists():
        SupervisionChannel.objects.bulk_create(
            SupervisionChannel(kind=k, name=n, value=v, note=note, sort_order=o)
            for k, n, v, note, o in CHANNELS
        )
    if not ServiceStandard.objects.exists():
        ServiceStandard.objects.bulk_create(
            ServiceStandard(title=t, content=c, sort_order=o) for t, c, o in STANDARDS
        )


def forwards(apps, schema_editor):
    seed_portal(apps.get_model("portal", "SupervisionChannel"), apps.get_model("portal", "ServiceStandard"))


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
