#!/usr/bin/env python3
"""Drives `smp serve`'s page in headless Chromium (Selenium): moves the density slider, waits for
the new image, checks that the image changed and that the plan shows the new density, picks the
top head view, saves the scene and validates it with `smp validate`, and takes a screenshot. Every wait is bounded; the
server is stopped however the test ends; the exit status is non-zero on any failure.

    .ci/browser-test.py SMP_BINARY [SCENE] [--screenshot PATH]
"""
import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

# The whole test, whatever hangs: the server's start, the browser, a render.
TOTAL_SECONDS = 240
WAIT_SECONDS = 60


def fail(message):
    print(f"browser test: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def start_server(smp, scene):
    server = subprocess.Popen([smp, "serve", scene, "--port", "0"], stdout=subprocess.PIPE, stderr=sys.stderr, text=True)
    deadline = time.monotonic() + WAIT_SECONDS
    # The first line names the address; readline blocks, so the alarm bounds it too.
    line = server.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:\d+/", line or "")
    if not match or time.monotonic() > deadline:
        server.kill()
        fail(f"smp serve printed no address: {line!r}")
    return server, match.group(0)


def stop_server(server):
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def browser(downloads):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1600,1100", "--disable-gpu"]:
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": downloads, "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(WAIT_SECONDS)
    driver.set_script_timeout(WAIT_SECONDS)
    # Downloads in headless Chromium go where the DevTools protocol says.
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    return driver


def generation(driver, element_id):
    return int(driver.execute_script(f"return Number(document.getElementById('{element_id}').dataset.generation || 0)"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("smp")
    parser.add_argument("scene", nargs="?", default="Scenes/demo.yaml")
    parser.add_argument("--screenshot", default="Outputs/serve-page.png")
    arguments = parser.parse_args()
    signal.signal(signal.SIGALRM, lambda *_: fail(f"did not finish within {TOTAL_SECONDS} s"))
    signal.alarm(TOTAL_SECONDS)

    downloads = tempfile.mkdtemp(prefix="smp-browser-test-")
    server, address = start_server(arguments.smp, arguments.scene)
    driver = None
    try:
        driver = browser(downloads)
        wait = WebDriverWait(driver, WAIT_SECONDS)
        driver.get(address)
        wait.until(lambda d: generation(d, "regions") > 0)
        errors = driver.find_element(By.ID, "error").text
        if errors:
            fail(f"the page shows an error on opening: {errors}")
        image = driver.find_element(By.ID, "preview")
        before_png = image.screenshot_as_png
        before_density = int(driver.find_element(By.ID, "density").get_attribute("value"))
        shown = generation(driver, "regions")

        # The slider moved with the keyboard, as a person would: eight steps of 5 dots/cm²,
        # each an `input` event and a render the next one cancels.
        slider = driver.find_element(By.ID, "density")
        slider.click()
        slider.send_keys(Keys.HOME)
        for _ in range(8):
            slider.send_keys(Keys.ARROW_RIGHT)
        new_density = int(slider.get_attribute("value"))
        if new_density == before_density:
            fail(f"the density slider did not move from {before_density}")
        wait.until(lambda d: generation(d, "regions") > shown and generation(d, "preview") == generation(d, "regions")
                   and f"design {new_density} dots/cm²" in d.find_element(By.ID, "design").text)
        time.sleep(0.3)  # the image element repaints after its src changes
        after_png = driver.find_element(By.ID, "preview").screenshot_as_png
        if after_png == before_png:
            fail("the preview did not change after the density moved")
        targets = [float(cell.text) for cell in driver.find_elements(By.CSS_SELECTOR, "#regions td.target")]
        if not targets or abs(max(targets) - new_density) > 1.5:
            fail(f"the density table's targets {targets} do not show the new density {new_density}")
        print(f"browser test: density {before_density} -> {new_density}; regions' targets up to {max(targets):.1f}; "
              f"{driver.find_element(By.ID, 'status').text}")

        # A list, as a person picks from it: the head seen from above.
        shown = generation(driver, "preview")
        Select(driver.find_element(By.ID, "view")).select_by_value("top")
        wait.until(lambda d: generation(d, "preview") > shown and generation(d, "preview") == generation(d, "regions"))
        if driver.find_element(By.ID, "error").text:
            fail(f"the top view was refused: {driver.find_element(By.ID, 'error').text}")
        print(f"browser test: top view, {driver.find_element(By.ID, 'status').text}")

        driver.find_element(By.ID, "save").click()
        deadline = time.monotonic() + WAIT_SECONDS
        saved = []
        while time.monotonic() < deadline:
            saved = [f for f in os.listdir(downloads) if f.endswith(".yaml")]
            if saved:
                break
            time.sleep(0.2)
        if not saved:
            fail("Save scene downloaded no .yaml file")
        path = os.path.join(downloads, saved[0])
        text = open(path, encoding="utf-8").read()
        if f"dotsPerCM2: {new_density}" not in text:
            fail(f"the saved scene does not hold the new density {new_density}:\n{text}")
        validate = subprocess.run([arguments.smp, "validate", path], capture_output=True, text=True, timeout=WAIT_SECONDS)
        if validate.returncode != 0:
            fail(f"smp validate refused the saved scene ({validate.returncode}): {validate.stdout}{validate.stderr}")
        print(f"browser test: saved {saved[0]}, smp validate: {validate.stdout.strip()}")

        os.makedirs(os.path.dirname(arguments.screenshot) or ".", exist_ok=True)
        driver.save_screenshot(arguments.screenshot)
        print(f"browser test: screenshot {arguments.screenshot}")
    finally:
        if driver is not None:
            driver.quit()
        stop_server(server)
    print("browser test: passed")


if __name__ == "__main__":
    main()
