#!/usr/bin/env python3
"""A real browser end to end through `fondi serve` (issue 10): Debian's chromium driven headless by Selenium
with Debian's chromium-driver. Signs in, records a fonte, a servizio, a programmazione and an impegno through
the forms, sees them on the cruscotto, reads the Italian refusal of an over-commitment, closes the year and
checks the hash shown against `fondi verifica --digest`, downloads the prospetto as xlsx and reads a figure.
Screenshots go to bench-out/browser/. Usage: Tests/Browser/e2e.py PATH/TO/fondi"""
import io, os, re, subprocess, sys, tempfile, time, urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

fondi = os.path.abspath(sys.argv[1])
uscita = os.path.join(os.path.dirname(__file__), "..", "..", "bench-out", "browser")
os.makedirs(uscita, exist_ok=True)
cartella = tempfile.mkdtemp()
db = os.path.join(cartella, "registro.sqlite")
password = "una frase lunga per il test"
passati, falliti = 0, 0


def sparito(elemento):
    """Like expected_conditions.staleness_of, but also when Chromium reports the element's node as detached from the
    new document ("Node with given id does not belong to the document"), which it sometimes does mid-navigation
    instead of a stale reference (seen once in CI)."""
    def gia(_):
        try:
            elemento.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as e:
            if "does not belong to the document" in str(e) or "No node with given id" in str(e):
                return True
            raise
    return gia


def controlla(condizione, cosa):
    global passati, falliti
    if condizione:
        passati += 1
        print(f"ok: {cosa}")
    else:
        falliti += 1
        print(f"FALLITO: {cosa}")


subprocess.run([fondi, "init", "--db", db], check=True, capture_output=True)
subprocess.run([fondi, "utente", "aggiungi", "--db", db, "--nome", "anna", "--ruolo", "responsabile"], input=password + "\n",
               text=True, check=True, capture_output=True)
server = subprocess.Popen([fondi, "serve", "--db", db, "--porta", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    riga = server.stdout.readline()
    m = re.match(r"in ascolto su (http://127\.0\.0\.1:\d+)", riga)
    controlla(m is not None, f"il server dice dove ascolta: {riga.strip()}")
    base = m.group(1)

    o = webdriver.ChromeOptions()
    o.binary_location = "/usr/bin/chromium"
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000", "--lang=it-IT"]:
        o.add_argument(a)
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
    d.set_page_load_timeout(30)

    def clicca(selettore):
        # Clicks and waits for the next page, so what is read next is that page.
        bottone = d.find_element(By.CSS_SELECTOR, selettore)
        bottone.click()
        WebDriverWait(d, 20).until(sparito(bottone))
        WebDriverWait(d, 20).until(lambda x: x.execute_script("return document.readyState") == "complete")

    def modulo(percorso, campi, caselle=()):
        d.get(base + percorso)
        for nome, valore in campi.items():
            e = d.find_element(By.NAME, nome)
            if e.get_attribute("type") == "date":
                d.execute_script("arguments[0].value = arguments[1]", e, valore)
            elif e.tag_name == "select":
                e.find_element(By.CSS_SELECTOR, f"option[value='{valore}']").click()
            else:
                e.clear()
                e.send_keys(valore)
        for nome in caselle:
            d.find_element(By.NAME, nome).click()
        bottone = d.find_element(By.CSS_SELECTOR, "form.modulo button")
        bottone.click()
        # The answer is a new page (the recorded events after a 303, or the refused form): wait for it.
        WebDriverWait(d, 20).until(sparito(bottone))
        WebDriverWait(d, 20).until(lambda x: x.execute_script("return document.readyState") == "complete")
        return d.page_source

    d.get(base + "/")
    controlla(d.current_url.endswith("/accesso"), "senza sessione si arriva all'accesso")
    d.find_element(By.NAME, "nome").send_keys("anna")
    d.find_element(By.NAME, "password").send_keys(password)
    clicca("form.modulo button")
    controlla("Cruscotto" in d.title, "dopo l'accesso il cruscotto")
    controlla("anna" in d.page_source and "responsabile" in d.page_source, "la pagina dice chi è entrato e il ruolo")

    p = modulo("/comandi/fonte-registra", {"codice": "FNA-2025", "tipo": "FNA", "annualita": "2025", "importo": "100.000,00",
                                          "atto": "DGR 1/2025", "data": "2025-01-10"}, caselle=["vincolata"])
    controlla("Registrato: evento n." in p and "/saldi?per=linea&fonte=FNA-2025" in d.current_url, "fonte registrata dal modulo: si arriva ai saldi della fonte con l'avviso")
    p = modulo("/comandi/servizio-registra", {"codice": "SAD", "descrizione": "Assistenza domiciliare", "data": "2025-01-10"})
    controlla("Registrato: evento n." in p and "per=servizio" in d.current_url and "SAD" in p, "servizio registrato: si arriva ai saldi per servizio")
    p = modulo("/comandi/programma", {"fonte": "FNA-2025", "servizio": "SAD", "esercizio": "2025", "importo": "60.000,00",
                                      "atto": "Del. 2/2025", "data": "2025-01-15"})
    controlla("Registrato: evento n." in p and "esercizio=2025" in d.current_url and "60.000,00" in p, "programmazione disposta: si arriva alle linee della fonte")
    p = modulo("/comandi/impegna", {"numero": "2025/1", "fonte": "FNA-2025", "servizio": "SAD", "esercizio": "2025", "importo": "45.000,00",
                                    "creditore": "Coop Aurora", "oggetto": "SAD 2025", "atto": "Det. 1/2025", "data": "2025-02-01"})
    controlla("Registrato: evento n." in p and "/impegno?numero=2025/1" in d.current_url.replace("%2F", "/") and "Coop Aurora" in p,
              "impegno assunto: si arriva alla pagina dell'impegno")

    d.get(base + "/")
    pagina = d.page_source
    controlla("FNA-2025" in pagina and "45.000,00" in pagina and "60.000,00" in pagina, "il cruscotto mostra fonte, programmato e impegnato")
    d.save_screenshot(os.path.join(uscita, "cruscotto.png"))

    p = modulo("/comandi/impegna", {"numero": "2025/2", "fonte": "FNA-2025", "servizio": "SAD", "esercizio": "2025", "importo": "15.000,01",
                                    "creditore": "Coop Beta", "oggetto": "SAD", "atto": "Det. 2/2025", "data": "2025-02-02"})
    controlla("supera il disponibile della linea FNA-2025/SAD/2025 (15.000,00)" in p, "sovraimpegno rifiutato con il messaggio italiano")
    controlla('value="Coop Beta"' in p, "il modulo rifiutato conserva ciò che era scritto")
    d.save_screenshot(os.path.join(uscita, "rifiuto.png"))

    # DOMAIN §10: a scadenza and a rendicontazione from their forms (the preview first), the scadenze page on a
    # day, and both pages at a phone's width without sideways scrolling of the page.
    p = modulo("/comandi/scadenza-fissa", {"numero": "S1", "fonte": "FNA-2025", "tipo": "impegno", "soglia": "90", "termine": "2025-06-30",
                                           "atto": "Nota regionale", "data": "2025-02-03"})
    controlla("Registrato: evento n." in p and "/scadenze" in d.current_url and "S1" in p, "scadenza fissata dal modulo: si arriva alle scadenze")
    rendiconto = {"numero": "R1", "destinatario": "REGIONE-PUGLIA", "al": "2025-02-01", "atto": "Invio 1", "data": "2025-02-03"}
    p = modulo("/comandi/rendiconta", rendiconto, caselle=["prova"])
    controlla("nulla è stato scritto" in p and "45.000,00" in p, "la prova della rendicontazione mostra le cifre e non scrive")
    p = modulo("/comandi/rendiconta", rendiconto)
    controlla("Registrato: evento n." in p and "/rendicontazione?numero=R1" in d.current_url, "rendicontazione registrata: si arriva alla sua pagina")
    d.get(base + "/scadenze?al=2025-05-15")
    p = d.page_source
    controlla("a rischio" in p and "90.000,00" in p and "45.000,00" in p, "le scadenze al 15/05: obiettivo 90.000,00, raggiunti e mancanti 45.000,00, a rischio")
    d.save_screenshot(os.path.join(uscita, "scadenze.png"))
    d.set_window_size(390, 900)
    for pagina in ["/scadenze?al=2025-05-15", "/rendicontazione?numero=R1", "/rendicontazioni"]:
        d.get(base + pagina)
        larghezza = d.execute_script("return document.documentElement.scrollWidth")
        controlla(larghezza <= 390, f"{pagina} a 390 px non scorre di lato (larghezza {larghezza})")
    d.save_screenshot(os.path.join(uscita, "rendicontazione-telefono.png"))
    d.set_window_size(1400, 1000)

    # The impegno's own page, down to a raw event.
    d.get(base + "/impegno?numero=2025/1")
    p = d.page_source
    controlla("Traccia degli eventi" in p and "Coop Aurora" in p and "Impegno assunto" in p, "la pagina dell'impegno mostra la sua traccia")
    clicca("a[href^='/eventi/']")
    controlla('"tipo":"ImpegnoAssunto"' in d.page_source or "ImpegnoAssunto" in d.page_source, "dalla traccia all'evento grezzo")

    # The closing wizard: the esercizio, the riaccertamento (2025/1 kept: a residuo passivo), the preview, the confirmation.
    d.get(base + "/chiusura")
    d.find_element(By.CSS_SELECTOR, "select[name='esercizio'] option[value='2025']").click()
    clicca("form.modulo button")
    controlla("2025/1" in d.page_source and "mantenere" in d.page_source, "la procedura guidata elenca l'impegno da riaccertare")
    for nome, valore in {"atto": "Del. G.C. 10/2026", "data": "2026-01-20"}.items():
        e = d.find_element(By.NAME, nome)
        if e.get_attribute("type") == "date":
            d.execute_script("arguments[0].value = arguments[1]", e, valore)
        else:
            e.clear(); e.send_keys(valore)
    clicca("button[value='anteprima']")
    controlla("Anteprima" in d.page_source and "Residuo riportato" in d.page_source,
              "l'anteprima mostra cosa registrerebbe la chiusura " + " ".join(re.findall(r'class="errore"[^>]*>([^<]*)', d.page_source)))
    d.find_element(By.NAME, "conferma_esercizio").send_keys("2025")
    clicca("button[value='conferma']")
    p = d.page_source
    m = re.search(r"<code>([0-9a-f]{64})</code>", p)
    controlla(m is not None, "la chiusura mostra l'hash da riportare nell'atto")
    d.save_screenshot(os.path.join(uscita, "chiusura.png"))
    if m:
        v = subprocess.run([fondi, "verifica", "--db", db, "--digest", m.group(1)], capture_output=True, text=True)
        controlla(v.returncode == 0, "fondi verifica --digest accetta l'hash mostrato")

    # The prospetto as a workbook, downloaded with the browser's session.
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in d.get_cookies())
    r = urllib.request.urlopen(urllib.request.Request(base + "/prospetto?formato=xlsx", headers={"Cookie": cookie}))
    dati = r.read()
    import openpyxl
    wb = openpyxl.load_workbook(io.BytesIO(dati))
    fonti = wb.worksheets[0]
    righe = [[c.value for c in riga] for riga in fonti.iter_rows()]
    intestazione = righe[0]
    riga = next(x for x in righe if x[0] == "FNA-2025")
    controlla(riga[intestazione.index("Impegnato")] == 45000.0, "il prospetto xlsx riporta l'impegnato 45.000,00")
    controlla(riga[intestazione.index("Residui passivi")] == 45000.0, "e i residui passivi dopo la chiusura")
    d.get(base + "/prospetto")
    d.save_screenshot(os.path.join(uscita, "prospetto.png"))
    d.get(base + "/verifica?avanzamento=1")
    controlla("verificati" in d.page_source and "catena integra" in d.page_source, "la verifica mostra l'avanzamento e l'esito")
    d.quit()
finally:
    server.terminate()
    server.wait(timeout=20)
    controlla(server.returncode == 0, f"SIGTERM: il server si ferma ed esce con 0 (uscito con {server.returncode})")

print(f"{passati} passed, {falliti} failed")
sys.exit(1 if falliti else 0)
