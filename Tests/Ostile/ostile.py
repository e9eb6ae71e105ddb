#!/usr/bin/env python3
"""Hostile input against a real `fondi serve` (issue 19).

Loads the demo ledger (Scripts/data/casarano-0*.jsonl) into a new file, adds one user per role with an API
token, starts the server and asks the binary for its own route table (`fondi serve --rotte`), so a new route or
parameter is attacked without editing this file. Then, for every route, every query parameter its handler reads,
every path parameter and every form or JSON field, it sends huge and negative integers, the Int64 edges, NUL,
5,000-character text, traversal, SQL and HTML metacharacters, broken percent-encoding and impossible dates, as
each role and without credentials, and asserts after every request:
  - no 5xx but 503 (a read over its time limit), and the server process still running;
  - no hostile markup reflected unescaped in an HTML page;
and after every route: `/salute` answers and the ledger's last seq has not moved (nothing written). At the end
`fondi verifica` must pass on the ledger. Prints the number of requests sent.

Usage: Tests/Ostile/ostile.py PATH/TO/fondi [--minimo N] [--solo PATH]
  --minimo N   fails if fewer than N requests were sent (default 50000)
  --solo PATH  attacks only the routes with that path (to reproduce a finding)
"""
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

fondi = os.path.abspath(sys.argv[1])
minimo = int(sys.argv[sys.argv.index("--minimo") + 1]) if "--minimo" in sys.argv else 50_000
solo = sys.argv[sys.argv.index("--solo") + 1] if "--solo" in sys.argv else None
radice = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
cartella = tempfile.mkdtemp()
db = os.path.join(cartella, "ostile.sqlite")
PASSWORD = "una frase lunga per il test ostile"
RUOLI = ["consultazione", "operatore", "responsabile"]

# Values no handler may choke on. Markup payloads are checked for verbatim reflection in HTML pages.
MARCATORI = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><b id=fondi-xss>"]
OSTILI = [
    "999999999999999999999999999999", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
    "-9223372036854775809", "999999999999999999", "184467440737095516", "-1", "0", "00000000000000000000001",
    "1e309", "NaN", "0x10", "+5", " 7", "1.5", "١٢٣", "１２３",
    "\x00", "a\x00b", "x" * 5000, "€" * 2000,
    "../../../../etc/passwd", "..%2f..%2fetc%2fpasswd", "/etc/passwd", "C:\\Windows\\win.ini",
    "' OR '1'='1", "1; DROP TABLE evento; --", "\\", "%", "_", "\\'", "'); SELECT pg_sleep(5); --",
    "2023-02-30", "2023-13-01", "0000-00-00", "9999-12-31", "-0001-01-01", "2023-1-1", "20230101",
    "\u202e\u200b", "\ud7ff\ue000", "😀" * 20, "true", "on", "{\"a\":1}", "[", "\r\nX-Iniettata: 1",
] + MARCATORI
# Raw query fragments that no encoder would produce: broken percent-encoding, overlong and invalid UTF-8.
GREZZI = ["%", "%zz", "%C0%AF", "%FF%FE", "%00", "%E2%82", "a%2", "%%%%"]


# Valid values for every field of every command, chosen so that each command is refused by a rule after all of
# its fields have been parsed: dates and years inside closed esercizi, codes that do not exist, and for the
# registrations codes that already do. A hostile value put in any one field is then parsed by that field's own
# reader (year, amount, date, code, text) and the command is still refused: nothing can be written.
BASE = {
    "numero": "OSTILE-N1", "fonte": "OSTILE-F", "servizio": "OSTILE-S", "esercizio": "2019", "importo": "1,00",
    "creditore": "Creditore", "oggetto": "Oggetto", "atto": "Atto ostile", "data": "2019-06-01", "impegno": "OSTILE-I",
    "liquidazione": "OSTILE-L", "mandato": "OSTILE-M", "prenotazione": "OSTILE-P", "accertamento": "OSTILE-A",
    "reversale": "OSTILE-R", "debitore": "Debitore", "motivo": "Motivo", "documento": "Doc", "cig": "Z1", "cup": "C1",
    "descrizione": "Descrizione", "tipo": "FNA", "annualita": "2019", "codice": "OSTILE-C", "da": "OSTILE-S1", "a": "OSTILE-S2",
    "vincolata": "true", "termine": "2019-12-31", "soglia": "50", "base": "assegnato", "destinatario": "REVISORI",
    "copertura": "2019-12-31", "al": "2019-05-31", "fonti": "OSTILE-F", "scadenza": "OSTILE-SC",
}
REGISTRAZIONI = {"fonte-registra": {"codice": "PAIS"}, "servizio-registra": {"codice": "A2"}, "scadenza-fissa": {"tipo": "impegno"}}
NON_INVIATI = {"db", "formato", "utente", "chiave", "libera", "prova"}
# Valid numbers at the edges of their ranges, which must be answered, not trapped on.
BORDI = ["/api/v1/eventi?da=999999999999999999&limite=100000", "/impegni?pagina=1000000", "/impegni?pagina=1000000&al=2023-06-30",
         "/registrato?da=1&a=999999999999999999", "/registrato?da=999999999999999999&a=999999999999999999",
         "/eventi/999999999999999999", "/storia?fino_a=999999999999999999", "/api/v1/saldi?fino_a=999999999999999999"]


def esegui(*args, stdin=None):
    return subprocess.run([fondi, *args], input=stdin, capture_output=True, text=True)


def prepara():
    assert esegui("init", "--db", db).returncode == 0
    for f in sorted(os.listdir(os.path.join(radice, "Scripts", "data"))):
        if f.startswith("casarano-0") and f.endswith(".jsonl"):
            r = esegui("importa", os.path.join(radice, "Scripts", "data", f), "--db", db, "--utente", "demo")
            assert r.returncode == 0, r.stderr
    token = {}
    for ruolo in RUOLI:
        nome = "u" + ruolo
        assert esegui("utente", "aggiungi", "--db", db, "--nome", nome, "--ruolo", ruolo, stdin=PASSWORD + "\n").returncode == 0
        token[ruolo] = esegui("utente", "token", "--db", db, "--nome", nome).stdout.strip()
    return token


class Cliente:
    """One keep-alive connection; reconnects after the server closes it."""

    def __init__(self, porta):
        self.porta = porta
        self.c = None

    def richiesta(self, metodo, percorso, corpo=None, intestazioni=None):
        for tentativo in range(3):
            try:
                if self.c is None:
                    self.c = http.client.HTTPConnection("127.0.0.1", self.porta, timeout=60)
                self.c.request(metodo, percorso, body=corpo, headers=intestazioni or {})
                r = self.c.getresponse()
                dati = r.read()
                if r.getheader("Connection", "").lower() == "close":
                    self.c.close()
                    self.c = None
                return r.status, r.getheader("Content-Type", ""), dati, r.getheaders()
            except (ConnectionError, http.client.HTTPException, OSError):
                self.c = None
                if tentativo == 2:
                    raise


def accedi(cliente, nome):
    """Signs in through the form; returns (cookie header, csrf token of the session)."""
    _, _, pagina, intest = cliente.richiesta("GET", "/accesso")
    pre = "; ".join(v.split(";")[0] for k, v in intest if k.lower() == "set-cookie")
    csrf = re.search(rb'name="csrf" value="([^"]+)"', pagina).group(1).decode()
    corpo = urllib.parse.urlencode({"nome": nome, "password": PASSWORD, "csrf": csrf})
    stato, _, _, intest = cliente.richiesta("POST", "/accesso", corpo, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": pre})
    assert stato == 303, f"accesso di {nome}: {stato}"
    cookie = "; ".join(v.split(";")[0] for k, v in intest if k.lower() == "set-cookie" and "fondi_sessione=" in v)
    _, _, pagina, _ = cliente.richiesta("GET", "/utente", None, {"Cookie": cookie})
    csrf = re.search(rb'name="csrf" value="([^"]+)"', pagina).group(1).decode()
    return cookie, csrf


def codifica(v):
    return urllib.parse.quote(v, safe="")


def richieste(rotta, comandi):
    """Every hostile request for one route: (method, path, body, content type)."""
    metodo, percorso = rotta["metodo"], rotta["percorso"]
    out = []
    valori = OSTILI

    def percorsi():
        if ":" not in percorso:
            return [percorso]
        base = percorso.split(":")[0]
        buoni = rotta["valori_percorso"] or ["1"]
        return [base + codifica(v) for v in OSTILI] + [base + g for g in GREZZI] + [base + b for b in buoni]

    def campi_di(p):
        if rotta["parametri"] == ["*"] or rotta["corpo"] == "modulo_comando":
            nome = p.rsplit("/", 1)[-1]
            return comandi.get(nome, ["numero", "importo"])
        return rotta["parametri"] if metodo == "GET" else rotta["campi"]

    for p in percorsi():
        campi = campi_di(p)
        if metodo == "GET":
            out.append((metodo, p, None, None))
            for nome in campi:
                for v in valori:
                    out.append((metodo, p + "?" + nome + "=" + codifica(v), None, None))
                for g in GREZZI:
                    out.append((metodo, p + "?" + nome + "=" + g, None, None))
                out.append((metodo, p + "?" + nome + "=1&" + nome + "=2", None, None))
            out.append((metodo, p + "?" + "&".join(f"{n}={codifica(OSTILI[0])}" for n in campi), None, None))
        elif rotta["corpo"] == "json":
            for nome in ["comando"] + sorted({c for cs in comandi.values() for c in cs}):
                for v in valori:
                    out.append((metodo, p, json.dumps({"comando": "impegna", nome: v}), "application/json"))
            for grezzo in ["", "{", "[]", "null", "{\"comandi\":[1]}", "{\"comandi\":{}}", "{\"comando\":\"impegna\",\"esercizio\":1e400}",
                           "{\"comando\":\"impegna\",\"esercizio\":-9223372036854775809}", "\x00", "{\"comandi\":[" + "{}," * 2000 + "{}]}"]:
                out.append((metodo, p, grezzo, "application/json"))
        else:
            for nome in campi:
                for v in valori:
                    out.append((metodo, p, (nome, v), "modulo"))
    return out


def attacca_comandi(porta, token, sessioni, comandi, controlla):
    """Each command complete (BASE) with one field hostile, as a form and as an API object, as the responsabile;
    returns (requests, those refused with 422)."""
    cookie, csrf = sessioni["responsabile"]
    lavori = []
    for nome, campi in sorted(comandi.items()):
        base = {k: BASE[k] for k in campi if k in BASE and k not in NON_INVIATI}
        base.update(REGISTRAZIONI.get(nome, {}))
        for campo in base:
            for v in OSTILI:
                lavori.append((nome, dict(base, **{campo: v})))
    conti = [0, 0]
    blocco = threading.Lock()

    def lavora(parte):
        c = Cliente(porta)
        for nome, campi in parte:
            modulo = urllib.parse.urlencode(dict(campi, csrf=csrf))
            for metodo, percorso, corpo, intest in [
                ("POST", "/comandi/" + nome, modulo, {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}),
                ("POST", "/api/v1/comandi", json.dumps(dict(campi, comando=nome.replace("-", " "))),
                 {"Authorization": "Bearer " + token["responsabile"], "Content-Type": "application/json"}),
            ]:
                try:
                    stato, ctipo, dati, _ = c.richiesta(metodo, percorso, corpo.encode("utf-8", "surrogatepass"), intest)
                except OSError as e:
                    controlla(599, "", b"", f"nessuna risposta ({e}) per {percorso} {campi}")
                    return
                with blocco:
                    conti[0] += 1
                    conti[1] += stato == 422
                controlla(stato, ctipo, dati, f"responsabile {metodo} {percorso} {str(campi)[:100]!r}")
    fili = [threading.Thread(target=lavora, args=(lavori[i::3],)) for i in range(3)]
    for f in fili:
        f.start()
    for f in fili:
        f.join()
    print(f"comandi completi con un campo ostile: {conti[0]} richieste, {conti[1]} rifiutate con 422", flush=True)
    return conti[0], conti[1]


def attacca(porta, token, sessioni, rotte, comandi):
    inviate = [0]
    errori = []
    blocco = threading.Lock()

    def controlla(stato, tipo, dati, cosa):
        if stato >= 500 and stato != 503:
            errori.append(f"{stato} per {cosa}")
        if server.poll() is not None:
            errori.append(f"server terminato dopo {cosa}")
        if "text/html" in tipo:
            testo = dati.decode("utf-8", "replace")
            for m in MARCATORI:
                if m in testo:
                    errori.append(f"markup riflesso senza escape ({m!r}) per {cosa}")

    def lavora(lotto):
        cliente = Cliente(porta)
        for (chi, metodo, percorso, corpo, tipo) in lotto:
            intest = {}
            if chi in sessioni:
                intest["Cookie"] = sessioni[chi][0]
            if percorso.startswith("/api/") and chi in token:
                intest["Authorization"] = "Bearer " + token[chi]
            if tipo == "modulo":
                nome, v = corpo
                campi = {nome: v}
                if nome != "csrf" and chi in sessioni:
                    campi["csrf"] = sessioni[chi][1]
                corpo = urllib.parse.urlencode(campi)
                intest["Content-Type"] = "application/x-www-form-urlencoded"
            elif tipo:
                intest["Content-Type"] = tipo
            if corpo is not None and percorso.startswith("/api/"):
                intest["Idempotency-Key"] = "ostile"
            cosa = f"{chi} {metodo} {percorso[:120]!r} {str(corpo)[:80]!r}"
            try:
                stato, ctipo, dati, _ = cliente.richiesta(metodo, percorso, corpo.encode("utf-8", "surrogatepass") if isinstance(corpo, str) else corpo, intest)
            except OSError as e:
                time.sleep(0.5)
                morto = "terminato (" + str(server.poll()) + ")" if server.poll() is not None else "vivo"
                errori.append(f"nessuna risposta ({e}) per {cosa}; server {morto}")
                return
            with blocco:
                inviate[0] += 1
            controlla(stato, ctipo, dati, cosa)

    chi_tutti = ["anonimo"] + RUOLI
    for rotta in rotte:
        if solo and rotta["percorso"] != solo:
            continue
        if rotta["percorso"] == "/uscita":
            continue  # the hostile csrf is tried below, apart: a valid one would end the suite's sessions
        lavori = []
        for i, (metodo, percorso, corpo, tipo) in enumerate(richieste(rotta, comandi)):
            if rotta["percorso"] == "/accesso":
                chi_qui = ["anonimo"]
            elif rotta["valori_percorso"]:
                # A route per command (the forms): each value in each field of each command, the roles in turn,
                # so the forms do not outnumber every other route together.
                chi_qui = [chi_tutti[i % len(chi_tutti)]]
            else:
                chi_qui = chi_tutti
            for chi in chi_qui:
                lavori.append((chi, metodo, percorso, corpo, tipo))
        fili = [threading.Thread(target=lavora, args=(lavori[i::3],)) for i in range(3)]
        for f in fili:
            f.start()
        for f in fili:
            f.join()
        if errori:
            break
        stato, _, dati, _ = Cliente(porta).richiesta("GET", "/salute")
        if stato != 200 or json.loads(dati)["ultimo_seq"] != ultimo:
            errori.append(f"dopo {rotta['metodo']} {rotta['percorso']}: /salute {stato} {dati[:100]!r} (atteso ultimo_seq {ultimo})")
        print(f"{rotta['metodo']:4} {rotta['percorso']:28} {len(lavori):6} richieste", flush=True)
        if errori:
            break
    profondi, rifiutati = attacca_comandi(porta, token, sessioni, comandi, controlla) if not errori and not solo else (0, 0)
    inviate[0] += profondi
    if profondi and rifiutati < profondi // 2:
        errori.append(f"solo {rifiutati} di {profondi} comandi ostili rifiutati da una regola o da un valore (422): l'attacco non arriva in fondo")
    c = Cliente(porta)
    for percorso in ([] if solo else BORDI):
        for chi in RUOLI:
            intest = {"Cookie": sessioni[chi][0]}
            if percorso.startswith("/api/"):
                intest["Authorization"] = "Bearer " + token[chi]
            stato, ctipo, dati, _ = c.richiesta("GET", percorso, None, intest)
            inviate[0] += 1
            controlla(stato, ctipo, dati, f"{chi} GET {percorso}")
    for v in ([] if errori or solo else OSTILI):
        for chi in RUOLI:
            stato, ctipo, dati, _ = c.richiesta("POST", "/uscita", urllib.parse.urlencode({"csrf": v}),
                                                {"Cookie": sessioni[chi][0], "Content-Type": "application/x-www-form-urlencoded"})
            inviate[0] += 1
            controlla(stato, ctipo, dati, f"{chi} POST /uscita csrf={v[:40]!r}")
    return inviate[0], errori


token = prepara()
for ruolo, t in token.items():
    if not re.fullmatch(r"[A-Za-z0-9_-]{32,}", t):
        print(f"FALLITO: token di {ruolo} non creato: {t!r}")
        sys.exit(1)
def ultimo_seq():
    return json.loads(esegui("esporta", "--db", db).stdout.splitlines()[-1])["seq"]


ultimo = ultimo_seq()
rotte = json.loads(esegui("serve", "--rotte").stdout)
comandi = rotte["campi_dei_comandi"]
server = subprocess.Popen([fondi, "serve", "--db", db, "--porta", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    riga = server.stdout.readline()
    porta = int(re.match(r"in ascolto su http://127\.0\.0\.1:(\d+)", riga).group(1))
    c = Cliente(porta)
    sessioni = {r: accedi(c, "u" + r) for r in RUOLI}
    inizio = time.time()
    n, errori = attacca(porta, token, sessioni, rotte["rotte"], comandi)
    durata = time.time() - inizio
finally:
    server.terminate()
    server.wait(timeout=30)
verifica = esegui("verifica", "--db", db)
if verifica.returncode != 0:
    errori.append("fondi verifica dopo l'attacco: " + verifica.stdout + verifica.stderr)
dopo = ultimo_seq()
if dopo != ultimo:
    errori.append(f"eventi scritti: ultimo seq {ultimo} prima, {dopo} dopo")
for e in errori[:50]:
    print("FALLITO:", e)
print(f"richieste ostili: {n} su {len(rotte['rotte'])} rotte in {durata:.0f} s ({n / max(durata, 1e-9):.0f}/s), server vivo, nulla scritto"
      if not errori else f"richieste ostili: {n}, {len(errori)} errori")
if n < minimo:
    print(f"FALLITO: solo {n} richieste, ne servono almeno {minimo}")
    sys.exit(1)
sys.exit(1 if errori else 0)
