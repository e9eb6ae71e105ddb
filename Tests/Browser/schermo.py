#!/usr/bin/env python3
"""The officer's screen in a real browser (issue 21): Debian's chromium, headless, driven by Selenium, on the demo
ledger (Scripts/data/casarano-0*.jsonl), at a desktop's 1400 x 900 and a phone's 390 x 844. For every page: no
sideways scrolling (document.documentElement.scrollWidth within the window), every menu entry and Esci visible and
inside the window. Then: a consultazione user sees no write entry and no action; an impegno's actions open their
forms filled in; a form reports every missing field at once; the closing cannot be confirmed without typing the
year; downloads open in LibreOffice (when installed) with the page's totals.
Usage: Tests/Browser/schermo.py PATH/TO/fondi [--foto] [--registro LEDGER]
  --foto       saves a screenshot of every page at both widths in bench-out/schermo/
  --registro   uses this ledger (e.g. a 100k-event one) instead of loading the demo's files"""
import csv, glob, http.cookiejar, io, os, re, shutil, subprocess, sys, tempfile, time, urllib.parse, urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

fondi = os.path.abspath(sys.argv[1])
foto = "--foto" in sys.argv
registro = sys.argv[sys.argv.index("--registro") + 1] if "--registro" in sys.argv else None
radice = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
uscita = os.path.join(radice, "bench-out", "schermo")
os.makedirs(uscita, exist_ok=True)
cartella = tempfile.mkdtemp()
db = registro or os.path.join(cartella, "registro.sqlite")
password = "una frase lunga per il test"
passati, falliti = 0, 0
LARGHEZZE = [("desktop", 1400, 900), ("telefono", 390, 844)]


def controlla(condizione, cosa):
    global passati, falliti
    if condizione:
        passati += 1
    else:
        falliti += 1
        print(f"FALLITO: {cosa}")


def esegui(*args, stdin=None):
    return subprocess.run([fondi, *args, "--db", db], input=stdin, capture_output=True, text=True)


if registro is None:
    assert esegui("init").returncode == 0
    for f in sorted(glob.glob(os.path.join(radice, "Scripts", "data", "casarano-0*.jsonl"))):
        r = esegui("importa", f, "--utente", "demo")
        assert r.returncode == 0, r.stderr
for nome, ruolo in [("resp", "responsabile"), ("oper", "operatore"), ("cons", "consultazione")]:
    esegui("utente", "aggiungi", "--nome", nome, "--ruolo", ruolo, stdin=password + "\n")

server = subprocess.Popen([fondi, "serve", "--db", db, "--porta", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
base = re.match(r"in ascolto su (http://127\.0\.0\.1:\d+)", server.stdout.readline()).group(1)


def browser(larghezza, altezza):
    o = webdriver.ChromeOptions()
    o.binary_location = "/usr/bin/chromium"
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={larghezza},{altezza}", "--lang=it-IT", "--hide-scrollbars"]:
        o.add_argument(a)
    # The console's errors (a script the policy refused, a failed fetch) are read back by the suite.
    o.set_capability("goog:loggingPrefs", {"browser": "SEVERE"})
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
    d.set_page_load_timeout(60)
    # The window's size is the outer one; the layout viewport is what a page must fit.
    d.set_window_size(larghezza, altezza)
    return d


def accedi(d, nome):
    d.delete_all_cookies()
    d.get(base + "/accesso")
    d.find_element(By.NAME, "nome").send_keys(nome)
    d.find_element(By.NAME, "password").send_keys(password)
    d.find_element(By.CSS_SELECTOR, "form[action='/accesso'] button").click()
    time.sleep(0.3)


def ultimo_seq():
    return int(re.search(r'"ultimo_seq":(\d+)', urllib.request.urlopen(base + "/salute").read().decode()).group(1))


def link(d, percorso, prefisso, quanti=1):
    d.get(base + percorso)
    out = []
    for a in d.find_elements(By.CSS_SELECTOR, "main a"):
        h = a.get_attribute("href") or ""
        if prefisso in h and h[len(base):] not in out:
            out.append(h[len(base):])
    return out[:quanti]


def primo_link(d, percorso, prefisso):
    trovati = link(d, percorso, prefisso)
    return trovati[0] if trovati else None


def impegno_con_azioni(d):
    """An impegno with something to liquidate: its page offers the acts."""
    for p in link(d, "/impegni?da_pagare=true&ordina=da_pagare&verso=giu", "/impegno?numero=", 20):
        d.get(base + p)
        if d.find_elements(By.CSS_SELECTOR, "nav.azioni a.azione"):
            return p
    return None


def adatta(d, percorso, etichetta):
    """The page fits the window and its menu and Esci are visible inside it."""
    d.get(base + percorso)
    misure = d.execute_script("""
        const w = window.innerWidth, r = el => el.getBoundingClientRect();
        const menu = [...document.querySelectorAll('.barra nav a'), document.querySelector('.chi button')].filter(x => x);
        const fuori = menu.filter(x => { const b = r(x); return b.width === 0 || b.left < 0 || b.right > w + 0.5; }).map(x => x.textContent);
        return {scroll: document.documentElement.scrollWidth, w: w, fuori: fuori, voci: menu.length};""")
    controlla(misure["scroll"] <= misure["w"], f"{etichetta} {percorso}: larghezza {misure['scroll']} oltre la finestra {misure['w']}")
    controlla(not misure["fuori"] and misure["voci"] >= 10, f"{etichetta} {percorso}: voci del menu fuori dalla finestra {misure['fuori']}")
    if foto:
        nome = re.sub(r"[^a-z0-9]+", "-", percorso.lower()).strip("-") or "cruscotto"
        altezza = d.execute_script("return Math.min(document.documentElement.scrollHeight, 4000)")
        d.set_window_size(d.get_window_size()["width"], altezza)
        d.save_screenshot(os.path.join(uscita, f"{etichetta}-{nome}.png"))
        d.set_window_size(*[x for x in (LARGHEZZE[0][1:] if etichetta == "desktop" else LARGHEZZE[1][1:])])


try:
    d = browser(1400, 900)
    accedi(d, "resp")
    impegno = impegno_con_azioni(d)
    d.get(base + "/chiusura")
    aperti = [o.get_attribute("value") for o in d.find_elements(By.CSS_SELECTOR, "select[name='esercizio'] option")]
    esercizio = aperti[0] if aperti else "2023"
    prenotazione = primo_link(d, "/prenotazioni", "/prenotazione?numero=")
    accertamento = primo_link(d, "/accertamenti", "/accertamento?numero=")
    d.quit()
    pagine = ["/", "/saldi", "/saldi?per=fonte", "/saldi?per=servizio", "/saldi?per=esercizio", "/saldi?per=debitore", "/residui", "/prospetto",
              "/impegni", impegno, "/prenotazioni", prenotazione, "/accertamenti", accertamento, "/scadenze", "/rendicontazioni", "/storia",
              "/eventi/1", "/verifica", "/comandi", "/comandi/impegna", "/comandi/fonte-registra", "/chiusura", "/chiusura?esercizio=" + esercizio,
              "/utenti", "/utente", "/importa", "/istantanee", "/pagina-che-non-esiste", "/saldi?per=fonte&al=2023-06-30", "/?al=2023-06-30"]
    for etichetta, larghezza, altezza in LARGHEZZE:
        d = browser(larghezza, altezza)
        accedi(d, "resp")
        for p in pagine:
            if p:
                adatta(d, p, etichetta)
        d.quit()

    d = browser(1400, 900)
    # consultazione: no write entry in the menu, no action on a record.
    accedi(d, "cons")
    d.get(base + "/")
    voci = [a.get_attribute("href")[len(base):] for a in d.find_elements(By.CSS_SELECTOR, ".barra nav a")]
    controlla("/comandi" not in voci and "/chiusura" not in voci and "/utenti" not in voci, f"consultazione vede solo letture: {voci}")
    d.get(base + impegno)
    controlla(not d.find_elements(By.CSS_SELECTOR, "a.azione"), "consultazione: nessuna azione sull'impegno")

    # The impegno's actions open their forms filled in from it.
    accedi(d, "resp")
    d.get(base + impegno)
    numero = re.search(r"numero=([^&]+)", impegno).group(1)
    numero = urllib.parse.unquote(numero) if hasattr(urllib, "parse") else numero
    azioni = {a.text: a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "nav.azioni a.azione")}
    controlla({"Liquida", "Riduci", "Reimputa"} <= set(azioni) or "Elimina residuo" in azioni, f"azioni dell'impegno: {list(azioni)}")
    for testo, href in azioni.items():
        d.get(href)
        valore = d.find_element(By.NAME, "impegno").get_attribute("value")
        controlla(valore == numero, f"'{testo}' apre il modulo con l'impegno {numero} (trovato {valore!r})")

    # A form reports every missing field at once, beside each field.
    prima = ultimo_seq()
    d.get(base + "/comandi/impegna")
    d.find_element(By.NAME, "numero").clear()
    d.find_element(By.CSS_SELECTOR, "form.modulo button").click()
    time.sleep(0.5)
    errati = d.find_elements(By.CSS_SELECTOR, ".campo.errato")
    controlla(len(errati) >= 6, f"tutti i campi mancanti segnalati insieme: {len(errati)}")
    controlla(len(d.find_elements(By.CSS_SELECTOR, ".riepilogo li")) == len(errati), "il riepilogo elenca ogni campo")
    controlla(ultimo_seq() == prima, "nulla scritto")

    # The figures beside the amount follow the fields as they are typed (fondi.js, the policy's only script).
    import sqlite3
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
        lf, ls, le = c.execute("SELECT fonte, servizio, esercizio FROM linea ORDER BY esercizio DESC, fonte LIMIT 1").fetchone()
    d.get_log("browser")  # reading empties it: the 422 of the refused form above is not this step's
    d.get(base + "/comandi/impegna")
    controlla(not d.find_element(By.ID, "cifre").is_displayed(), "senza linea nessuna cifra accanto all'importo")
    for nome, valore in [("fonte", lf), ("servizio", ls), ("esercizio", str(le))]:
        e = d.find_element(By.NAME, nome)
        e.clear()
        e.send_keys(valore)
    try:
        WebDriverWait(d, 10).until(lambda x: f"Disponibile sulla linea {lf}/{ls}/{le}" in x.find_element(By.ID, "cifre").text)
        controlla(True, "il disponibile della linea appare mentre si scrive")
    except Exception:
        controlla(False, f"il disponibile della linea appare mentre si scrive (trovato {d.find_element(By.ID, 'cifre').text!r})")
    errori_js = [l for l in d.get_log("browser") if l.get("level") == "SEVERE" and "favicon" not in l.get("message", "")]
    controlla(not errori_js, f"nessun errore nella console (CSP compresa): {errori_js[:2]}")
    controlla(ultimo_seq() == prima, "nulla scritto mentre si scrive")

    # The closing cannot be confirmed without typing the year.
    d.get(base + "/chiusura?esercizio=" + esercizio)
    d.find_element(By.NAME, "atto").send_keys("Del. G.C. 60/2024")
    d.find_element(By.CSS_SELECTOR, "button[value='anteprima']").click()
    time.sleep(1)
    conferma = d.find_elements(By.CSS_SELECTOR, "button[value='conferma']")
    controlla(len(conferma) == 1 and d.find_elements(By.NAME, "conferma_esercizio"), "l'anteprima chiede di scrivere l'esercizio")
    if conferma:
        conferma[0].click()
        time.sleep(1)
        controlla(f"scrivi l'esercizio {esercizio}" in d.page_source and ultimo_seq() == prima, "senza l'anno scritto la chiusura non avviene")
    if foto:
        d.save_screenshot(os.path.join(uscita, "desktop-chiusura-rifiutata.png"))

    # Downloads: the page's totals, read back by LibreOffice from the workbook and from the CSV.
    jar = http.cookiejar.CookieJar()
    op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    for c in d.get_cookies():
        jar.set_cookie(http.cookiejar.Cookie(0, c["name"], c["value"], None, False, "127.0.0.1", False, False, "/", True, False, None, False, None, None, {}))
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    controlla(soffice or os.environ.get("CI") != "true", "LibreOffice (libreoffice-calc-nogui) installato in CI")
    for pagina in ["/saldi?per=servizio&esercizio=" + esercizio, "/impegni?esercizio=" + esercizio]:
        d.get(base + pagina)
        piedi = [td.text for td in d.find_elements(By.CSS_SELECTOR, "tfoot td.num, tfoot td.negativo")]
        controlla(piedi, f"{pagina}: riga dei totali")
        # A list of more than one page totals its page; the download carries every row, so its totals differ.
        piuPagine = bool(d.find_elements(By.PARTIAL_LINK_TEXT, "successiva"))
        for formato in ["xlsx", "csv"]:
            r = op.open(base + pagina + "&formato=" + formato)
            nome = re.search(r'filename="([^"]+)"', r.headers["Content-Disposition"]).group(1)
            controlla(nome.startswith(pagina[1:].split("?")[0].replace("/", "")), f"nome del file {nome}")
            percorso = os.path.join(cartella, nome)
            open(percorso, "wb").write(r.read())
            if not soffice:
                continue
            fuori = os.path.join(cartella, "lo-" + formato)
            # LibreOffice opens the file as an office would and writes it back as CSV (`;`, its own reading).
            filtro = "csv:Text - txt - csv (StarCalc):59,34,76,1" + (",,1033" if formato == "xlsx" else "")
            args = [soffice, "--headless", "-env:UserInstallation=file://" + cartella + "/lo", "--convert-to", filtro, "--outdir", fuori]
            if formato == "csv":
                args += ["--infilter=CSV:59,34,76,1,,1040"]
            subprocess.run(args + [percorso], capture_output=True, timeout=180)
            letto = glob.glob(os.path.join(fuori, "*.csv"))
            controlla(letto, f"LibreOffice apre {nome}")
            if letto:
                testo = open(letto[0], encoding="utf-8").read()
                righe = list(csv.reader(io.StringIO(testo), delimiter=";"))
                numeri = {re.sub(r"[^0-9]", "", c) for r in righe for c in r}
                mancano = [p for p in piedi if re.sub(r"[^0-9]", "", p) not in numeri and formato == "xlsx" and not piuPagine]
                controlla(not mancano, f"{nome}: i totali della pagina {mancano} non sono nel foglio")
                controlla(len(righe) > 1, f"{nome}: righe lette {len(righe)}")
                shutil.rmtree(fuori)
    d.quit()
finally:
    server.terminate()
    server.wait()
    if registro is None:
        shutil.rmtree(cartella, ignore_errors=True)

print(f"schermo: {passati} controlli riusciti, {falliti} falliti" + (f"; foto in {uscita}" if foto else ""))
sys.exit(1 if falliti else 0)
