from django.core.paginator import Paginator
from django.template import Context, Template


def test_pagination_links_stay_few_however_many_pages():
    page = Paginator(range(100_000), 10).page(500)
    html = Template(
        "{% load xiaoneng %}{% for n in page|elided_pages %}"
        "{% if n|is_ellipsis %}[…]{% else %}[{{ n }}]{% endif %}{% endfor %}"
    ).render(Context({"page": page}))
    assert html == "[1][…][498][499][500][501][502][…][10000]"
