"""The advisor widget on the built site, in headless Chromium: asking, follow-up questions,
shared links, back and restart, instant navigation, keyboard, screen readers, colour schemes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import yaml

import functools

from advisor import rules
from advisor.answer_text import plain, readable
from advisor.bundle import export_bundle
from advisor.load import default_kb_path

pytestmark = pytest.mark.browser

EVAL_CASES = Path(__file__).resolve().parent / "eval" / "advisor-cases.yaml"
WEB = Path(__file__).parent.parent / "advisor" / "web"
LABEL = "Describe what you want to do"


@pytest.fixture(scope="module")
def bundle() -> dict[str, Any]:
    return export_bundle(default_kb_path())


def first_case(bundle: dict[str, Any], status: str) -> str:
    """The first shared eval question the Python advisor answers with `status`."""
    for case in yaml.safe_load(EVAL_CASES.read_text(encoding="utf-8")):
        if rules.ask(bundle, case["question"], {})["status"] == status:
            return case["question"]
    raise AssertionError(f"no eval case gives status {status!r}")


def path_to_answer(bundle: dict[str, Any], text: str, limit: int = 6) -> list[tuple[str, str]]:
    """The shortest list of (fact, value) follow-up answers that leads from `text` to an answer."""
    queue: list[list[tuple[str, str]]] = [[]]
    while queue:
        steps = queue.pop(0)
        result = rules.ask(bundle, text, dict(steps))
        if result["status"] == "answer" and steps:
            return steps
        if result["status"] == "question" and len(steps) < limit:
            for option in result["question"]["options"]:
                queue.append([*steps, (result["question"]["fact"], option)])
    raise AssertionError(f"no follow-up answers lead from {text!r} to an answer")


def open_advisor(page: Any, site: Any, query: str = "") -> None:
    page.goto(site.page("advisor/") + query, wait_until="domcontentloaded")
    page.wait_for_selector("#concept-advisor[data-mounted] .ca-form")
    page.wait_for_function("() => window.conceptAdvisor.bundle !== null && !document.querySelector('#concept-advisor[aria-busy]')")


def shown(page: Any) -> dict[str, Any]:
    """What the widget shows: its status, heading, options and links."""
    return page.evaluate(
        """() => {
          const result = document.querySelector('.ca-result');
          return {
            status: result.getAttribute('data-status'),
            heading: (result.querySelector('.ca-heading') || {}).textContent || '',
            text: result.textContent,
            options: [...result.querySelectorAll('.ca-option')].map(b => [b.dataset.fact, b.dataset.value, b.textContent]),
            links: [...result.querySelectorAll('a.ca-concept')].map(a => a.href),
          };
        }"""
    )


def query_of(page: Any) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(page.evaluate("location.href")).query, keep_blank_values=True)


def expect_query(page: Any, expected: list[tuple[str, str]], timeout_ms: int = 2000) -> None:
    """The address shows `expected` (the widget writes it once the answer's frame is drawn)."""
    try:
        page.wait_for_function(
            "(expected) => JSON.stringify([...new URLSearchParams(location.search)]) === JSON.stringify(expected)",
            arg=[list(pair) for pair in expected],
            timeout=timeout_ms,
        )
    except Exception:
        pass  # the assertion below says what differs
    assert query_of(page) == expected


@functools.cache
def grafana_bundle() -> dict[str, Any]:
    return export_bundle(default_kb_path())


def assert_shows(page: Any, expected: dict[str, Any]) -> None:
    """The widget shows the answer in plain words ([`readable`][advisor.answer_text.readable])."""
    view = shown(page)
    assert view["status"] == expected["status"], view
    words = readable(grafana_bundle(), expected)
    if expected["status"] == "answer":
        assert expected["recommendation"]["name"] in view["heading"]
        assert " ".join(words["why"]) in view["text"]
        for step in words["steps"]:
            assert plain(step) in view["text"]
        for alternative in words["alternatives"] + words["folded"]:
            assert alternative["text"] in view["text"]
        assert "why_not" not in view["text"] and not any(alt["why_not"] in view["text"] for alt in expected["alternatives"])
        assert any(link.endswith(f"/concepts/{expected['recommendation']['concept']}/") for link in view["links"])
    elif expected["status"] == "question":
        assert view["heading"] == expected["question"]["prompt"]
        assert [(fact, value) for fact, value, _ in view["options"]] == [
            (expected["question"]["fact"], option) for option in expected["question"]["options"]
        ]
        assert [label for _, _, label in view["options"]] == [expected["question"]["labels"][o] for o in expected["question"]["options"]]
    elif expected["status"] == "faq":
        assert view["heading"] == expected["faq"]["question"]
        assert plain(words["answer"]) in view["text"]
    else:
        assert expected["message"] in view["text"]


def test_typing_a_question_and_pressing_enter_shows_the_answer(served_site: Any, watched_page: Any, bundle: dict[str, Any]) -> None:
    page, watch = watched_page
    text = first_case(bundle, "answer")
    open_advisor(page, served_site)
    box = page.get_by_label(LABEL)
    box.fill(text)
    box.press("Enter")
    page.wait_for_selector(".ca-result[data-status]")
    expected = rules.ask(bundle, text, {})
    assert_shows(page, expected)
    expect_query(page, [("ask", text)])
    assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"  # typing can go on
    # the concept links lead to real pages of the site
    for link in shown(page)["links"]:
        path = urlsplit(link).path.lstrip("/")
        assert (served_site.root / path / "index.html").is_file(), link
    assert not watch.errors, watch.errors


def test_shift_enter_starts_a_new_line_and_empty_text_asks_nothing(served_site: Any, watched_page: Any) -> None:
    page, watch = watched_page
    open_advisor(page, served_site)
    box = page.get_by_label(LABEL)
    box.press("Enter")
    assert page.get_attribute(".ca-result", "data-status") is None
    assert "Describe your situation first" in page.text_content(".ca-result")
    expect_query(page, [])
    box.type("first line")
    box.press("Shift+Enter")
    box.type("second line")
    assert box.input_value() == "first line\nsecond line"
    expect_query(page, [])
    assert not watch.errors, watch.errors


def test_answering_the_follow_up_buttons_leads_to_an_answer(served_site: Any, watched_page: Any, bundle: dict[str, Any]) -> None:
    page, watch = watched_page
    text = first_case(bundle, "question")
    steps = path_to_answer(bundle, text)
    open_advisor(page, served_site)
    page.get_by_label(LABEL).fill(text)
    page.get_by_role("button", name="Ask", exact=True).click()
    facts: dict[str, str] = {}
    for fact, value in steps:
        assert_shows(page, rules.ask(bundle, text, facts))
        page.click(f".ca-option[data-fact='{fact}'][data-value='{value}']")
        facts[fact] = value
        expect_query(page, [("ask", text), *facts.items()])
        # the pressed button is gone: focus moves to the new heading, not to the page's top
        assert page.evaluate("document.activeElement.classList.contains('ca-heading')")
    final = rules.ask(bundle, text, facts)
    assert final["status"] == "answer"
    assert_shows(page, final)
    assert not watch.errors, watch.errors


def test_the_whole_flow_works_by_keyboard_alone(served_site: Any, watched_page: Any, bundle: dict[str, Any]) -> None:
    page, watch = watched_page
    text = first_case(bundle, "question")
    steps = path_to_answer(bundle, text)
    open_advisor(page, served_site)
    # reach the text box with Tab from the top of the page
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('ca-input')"):
            break
    else:
        raise AssertionError("the text box cannot be reached with Tab")
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    facts: dict[str, str] = {}
    for fact, value in steps:
        for _ in range(30):
            page.keyboard.press("Tab")
            focused = page.evaluate("[document.activeElement.dataset.fact, document.activeElement.dataset.value]")
            if focused == [fact, value]:
                break
        else:
            raise AssertionError(f"option {fact}={value} cannot be reached with Tab")
        page.keyboard.press("Enter" if len(facts) % 2 == 0 else "Space")
        facts[fact] = value
    assert_shows(page, rules.ask(bundle, text, facts))
    assert not watch.errors, watch.errors


def test_a_shared_link_restores_the_answer(served_site: Any, watched_page: Any, bundle: dict[str, Any]) -> None:
    page, watch = watched_page
    text = first_case(bundle, "question")
    steps = path_to_answer(bundle, text)
    facts = dict(steps)
    open_advisor(page, served_site, "?" + urlencode([("ask", text), *steps, ("unknown-fact", "x")]))
    assert_shows(page, rules.ask(bundle, text, facts))
    assert page.get_by_label(LABEL).input_value() == text
    # the link opens the advisor, not Material's search (which reads a `q` parameter)
    assert page.evaluate("document.getElementById('__search') === null || !document.getElementById('__search').checked")
    # only facts: the advisor starts from them
    fact, value = steps[0]
    open_advisor(page, served_site, "?" + urlencode([(fact, value)]))
    assert_shows(page, rules.ask(bundle, "", {fact: value}))
    # an invalid value of a known fact is ignored, not shown
    open_advisor(page, served_site, "?" + urlencode([("ask", text), (fact, "no-such-value")]))
    assert_shows(page, rules.ask(bundle, text, {}))
    assert not watch.errors, watch.errors


def test_back_restart_and_the_browser_history(served_site: Any, watched_page: Any, bundle: dict[str, Any]) -> None:
    page, watch = watched_page
    text = first_case(bundle, "question")
    steps = path_to_answer(bundle, text)
    open_advisor(page, served_site)
    assert page.is_hidden(".ca-nav")
    page.get_by_label(LABEL).fill(text)
    page.get_by_label(LABEL).press("Enter")
    assert page.is_visible(".ca-nav")
    fact, value = steps[0]
    page.click(f".ca-option[data-fact='{fact}'][data-value='{value}']")
    after_one = rules.ask(bundle, text, {fact: value})
    assert_shows(page, after_one)
    # the widget's Back undoes the last answer
    page.get_by_role("button", name="Back").click()
    assert_shows(page, rules.ask(bundle, text, {}))
    expect_query(page, [("ask", text)])
    # the browser's back and forward walk the same states
    page.go_back()
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('{fact}') === '{value}'")
    assert_shows(page, after_one)
    page.go_forward()
    page.wait_for_function(f"() => !new URLSearchParams(location.search).has('{fact}')")
    assert_shows(page, rules.ask(bundle, text, {}))
    # Start again clears everything and puts the cursor in the text box
    page.get_by_role("button", name="Start again").click()
    expect_query(page, [])
    assert page.get_by_label(LABEL).input_value() == ""
    assert page.evaluate("document.activeElement.classList.contains('ca-input')")
    assert page.text_content(".ca-result") == ""
    assert page.is_hidden(".ca-nav")
    # Back from the first question returns to the start
    page.get_by_label(LABEL).fill(text)
    page.get_by_label(LABEL).press("Enter")
    page.get_by_role("button", name="Back").click()
    expect_query(page, [])
    assert not watch.errors, watch.errors


def test_answer_questions_instead_starts_without_text(served_site: Any, watched_page: Any, bundle: dict[str, Any]) -> None:
    page, watch = watched_page
    open_advisor(page, served_site)
    page.get_by_role("button", name="Answer questions instead").click()
    expected = rules.ask(bundle, "", {})
    assert expected["status"] == "question"
    assert_shows(page, expected)
    expect_query(page, [("ask", "")])
    page.reload()
    page.wait_for_selector(".ca-result[data-status]")
    assert_shows(page, expected)
    assert not watch.errors, watch.errors


def test_faq_and_out_of_scope_answers_are_shown(served_site: Any, watched_page: Any, bundle: dict[str, Any]) -> None:
    page, watch = watched_page
    for status in ("faq", "out-of-scope"):
        text = first_case(bundle, status)
        open_advisor(page, served_site, "?" + urlencode([("ask", text)]))
        assert_shows(page, rules.ask(bundle, text, {}))
    assert not watch.errors, watch.errors


def test_instant_navigation_mounts_the_widget_and_keeps_its_state(served_site: Any, watched_page: Any, bundle: dict[str, Any]) -> None:
    page, watch = watched_page
    text = first_case(bundle, "answer")
    expected = rules.ask(bundle, text, {})
    page.goto(served_site.page(""))
    page.wait_for_function("() => typeof window.document$ !== 'undefined'")
    page.evaluate("window.__sameDocument = true")  # survives only if navigation stays in this document
    page.click("article a[href$='advisor/']")
    page.wait_for_selector("#concept-advisor[data-mounted] .ca-form")
    page.wait_for_function("() => window.conceptAdvisor.bundle !== null")
    assert page.evaluate("window.__sameDocument === true"), "Material's instant navigation was not used"
    page.get_by_label(LABEL).fill(text)
    page.get_by_label(LABEL).press("Enter")
    assert_shows(page, expected)
    # follow a concept link (instant navigation again), then come back: the answer is restored
    concept = expected["recommendation"]["concept"]
    page.click(f".ca-result a.ca-concept[href$='/concepts/{concept}/']")
    page.wait_for_url(re.compile(f"/concepts/{concept}/$"))
    page.wait_for_function("() => !document.querySelector('#concept-advisor')")
    page.go_back()
    page.wait_for_selector(".ca-result[data-status]")
    assert_shows(page, expected)
    assert page.evaluate("window.__sameDocument === true")
    assert page.locator("#concept-advisor").count() == 1
    assert page.locator(".ca-form").count() == 1, "the widget was mounted twice"
    bundle_requests = [url for url in watch.requests if url.endswith("/bundle.json")]
    assert len(bundle_requests) == 1, bundle_requests
    assert not watch.errors, watch.errors


def test_no_request_leaves_the_site_and_the_bundle_is_fetched_once(served_site: Any, watched_page: Any, bundle: dict[str, Any]) -> None:
    page, watch = watched_page
    open_advisor(page, served_site)
    for status in ("answer", "question", "faq"):
        page.get_by_label(LABEL).fill(first_case(bundle, status))
        page.get_by_label(LABEL).press("Enter")
        page.wait_for_selector(f".ca-result[data-status='{status}']")
    outside = [url for url in watch.requests if not url.startswith(served_site.url)]
    assert not outside, outside
    advisor_requests = [url for url in watch.requests if "/assets/concept-advisor/" in url]
    assert sorted(urlsplit(url).path.rsplit("/", 1)[1] for url in advisor_requests) == ["advisor.css", "answer.js", "bundle.json", "engine.js", "widget.js"]


def test_screen_readers_get_labels_roles_and_a_live_answer(served_site: Any, watched_page: Any, bundle: dict[str, Any]) -> None:
    page, watch = watched_page
    open_advisor(page, served_site)
    box = page.get_by_label(LABEL)
    assert box.evaluate("e => e.tagName") == "TEXTAREA"
    hint = page.evaluate("document.getElementById(document.querySelector('.ca-input').getAttribute('aria-describedby')).textContent")
    assert "Enter" in hint
    assert page.get_attribute(".ca-result", "aria-live") is None  # the whole result is not read out
    assert page.get_attribute(".ca-status", "aria-live") == "polite"
    assert page.get_by_role("search", name="Ask the advisor").count() == 1
    box.fill(first_case(bundle, "question"))
    box.press("Enter")
    group = page.locator(".ca-result").get_by_role("group", name=page.text_content(".ca-heading"))
    assert group.count() == 1
    assert group.get_attribute("aria-labelledby") == page.get_attribute(".ca-heading", "id")
    assert all(tag == "BUTTON" for tag in page.eval_on_selector_all(".ca-option", "els => els.map(e => e.tagName)"))
    # the live region says the verdict line only, and that the advisor started again
    page.wait_for_function("() => document.querySelector('.ca-status').textContent.length > 0")
    assert page.text_content(".ca-status") == page.text_content(".ca-heading")
    page.get_by_role("button", name="Start again").click()
    page.wait_for_function("() => document.querySelector('.ca-status').textContent.startsWith('Started again')")
    assert not watch.errors, watch.errors


def test_light_and_dark_schemes_colour_the_widget(served_site: Any, watched_page: Any, bundle: dict[str, Any]) -> None:
    page, watch = watched_page
    open_advisor(page, served_site, "?" + urlencode([("ask", first_case(bundle, "question"))]))
    colours = """() => {
      const body = getComputedStyle(document.body);
      const box = getComputedStyle(document.querySelector('.ca-input'));
      const option = getComputedStyle(document.querySelector('.ca-option'));
      return {bodyFg: body.color, bodyBg: body.backgroundColor, boxFg: box.color, boxBg: box.backgroundColor,
              option: option.color, primary: getComputedStyle(document.querySelector('.ca-primary')).backgroundColor};
    }"""
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'default')")
    light = page.evaluate(colours)
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    dark = page.evaluate(colours)
    assert light["boxFg"] == light["bodyFg"] and dark["boxFg"] == dark["bodyFg"]
    assert light["boxBg"] != dark["boxBg"] and light["boxFg"] != dark["boxFg"]
    assert light["option"] != "rgb(0, 0, 0)" and dark["option"] != "rgb(0, 0, 0)"
    assert not watch.errors, watch.errors


def test_without_javascript_the_page_still_shows_the_decision_flow(served_site: Any, chromium_browser: Any) -> None:
    context = chromium_browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(served_site.page("advisor/"))
        assert page.locator("#concept-advisor").count() == 1
        assert page.text_content("#concept-advisor") == ""
        article = page.text_content("article")
        assert len(article) > 300
        assert page.locator("article a[href*='concepts/']").count() > 0
    finally:
        context.close()


def test_a_missing_bundle_is_reported_on_the_page(served_site: Any, watched_page: Any) -> None:
    page, watch = watched_page
    page.route("**/bundle.json", lambda route: route.fulfill(status=404, body="not found"))
    page.goto(served_site.page("advisor/"))
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "could not start" in alert.text_content()
    assert "HTTP 404" in alert.text_content()
    assert not [error for error in watch.errors if error.startswith("page error")]


def test_the_script_never_parses_data_as_html() -> None:
    script = (WEB / "answer.js").read_text(encoding="utf-8") + (WEB / "engine.js").read_text(encoding="utf-8") + (WEB / "widget.js").read_text(encoding="utf-8")
    for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "setTimeout(\"", "DOMParser", "createContextualFragment"):
        assert forbidden not in script, forbidden
    # attributes set from data never include event handlers: `el` turns on* keys into listeners
    assert re.search(r"setAttribute\(\s*[\"']on", script) is None
