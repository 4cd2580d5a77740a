"""公文 in a real browser: the office drafts a 通报 from the seeded template and a published
inspection bulletin, edits the free text, submits it, reviews it; a leader signs it off (issued
and numbered); 甲医院's admin finds it in the inbox; the PDF and the Word file are real files;
an edit of the issued document is refused."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from xiaoneng.documents.models import Document, DocumentTemplate, Letterhead
from xiaoneng.inspections.models import Bulletin, BulletinEntry

pytestmark = pytest.mark.browser


def log_out(page) -> None:
    with page.expect_navigation():
        page.get_by_test_id("logout").click()


@pytest.fixture
def bulletin(org):
    Letterhead.objects.create(
        unit=org.bureau, mark="测试县卫生健康局文件", prefix="测卫效", seal_name="测试县卫生健康局"
    )
    made = Bulletin.objects.create(
        title="2026年第1期作风问题曝光",
        intro="为持续深化作风建设，现将近期明查暗访发现的问题通报如下。",
        period_start=dt.date(2026, 3, 1),
        period_end=dt.date(2026, 3, 31),
        status="published",
        published_at=timezone.now(),
        created_by=org.alice,
        created_at=timezone.now(),
    )
    BulletinEntry.objects.create(
        bulletin=made,
        unit=org.unit_a,
        title="窗口人员脱岗",
        text="收费窗口无人值守。",
        approved=True,
    )
    return made


def test_a_circular_is_drafted_reviewed_signed_received_and_downloaded(
    page, live_server, org, login, bulletin
):
    template = DocumentTemplate.objects.get(code="circular", active=True)
    login(page, live_server, "alice")
    page.goto(reverse("documents:new"))
    page.locator("#id_template").select_option(str(template.pk))
    page.locator("#id_unit").select_option(str(org.bureau.pk))
    page.locator("#id_source_ref").fill(str(bulletin.pk))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    doc = Document.objects.get()
    assert page.url.endswith(reverse("documents:detail", args=[doc.pk]))
    expect(page.get_by_test_id("preview")).to_contain_text("窗口人员脱岗")
    expect(page.get_by_test_id("status")).to_have_text("草稿")

    page.get_by_test_id("edit").click()
    body = page.locator("#id_body")
    body.fill(body.input_value() + "\n四、其他\n请各单位于4月15日前报送整改情况。")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("preview")).to_contain_text("请各单位于4月15日前报送整改情况。")

    with page.expect_navigation():
        page.get_by_test_id("action-submit").click()
    expect(page.get_by_test_id("status")).to_have_text("审核中")
    with page.expect_navigation():
        page.get_by_test_id("action-review").click()
    expect(page.get_by_test_id("status")).to_have_text("待签发")
    expect(page.get_by_test_id("action-sign_off")).to_have_count(0)  # the office cannot sign
    log_out(page)

    login(page, live_server, "leader")
    page.goto(reverse("documents:detail", args=[doc.pk]))
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_test_id("action-sign_off").click()
    expect(page.get_by_test_id("status")).to_have_text("已印发")
    doc.refresh_from_db()
    assert doc.number == f"测卫效通〔{doc.dated.year}〕1号"
    assert doc.signed_by == org.leader
    expect(page.get_by_test_id("number")).to_have_text(doc.number)
    expect(page.get_by_test_id("edit")).to_have_count(0)
    log_out(page)

    login(page, live_server, "bob")  # 甲医院, named in the bulletin: a recipient
    page.goto(reverse("inbox"))
    expect(page.get_by_text(doc.number, exact=False).first).to_be_visible()
    page.goto(reverse("documents:list"))
    expect(page.get_by_role("link", name=doc.number)).to_be_visible()
    page.goto(reverse("documents:detail", args=[doc.pk]))
    expect(page.get_by_test_id("edit")).to_have_count(0)

    pdf = page.request.get(live_server.url + reverse("documents:pdf", args=[doc.pk]))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    docx = page.request.get(live_server.url + reverse("documents:docx", args=[doc.pk]))
    assert docx.ok
    with zipfile.ZipFile(io.BytesIO(docx.body())) as archive:
        xml = archive.read("word/document.xml").decode()
    assert doc.number in xml and "请各单位于4月15日前报送整改情况。" in xml
    log_out(page)

    # the issued document is immutable: even the office's edit form is refused
    login(page, live_server, "alice")
    page.goto(reverse("documents:detail", args=[doc.pk]))
    expect(page.get_by_test_id("edit")).to_have_count(0)
    page.goto(reverse("documents:edit", args=[doc.pk]))
    if page.locator("#id_title").count():
        page.locator("#id_title").fill("改过的标题")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
    doc.refresh_from_db()
    assert doc.title != "改过的标题"
    expect(page.locator("body")).to_contain_text("已印发的公文不能修改")
