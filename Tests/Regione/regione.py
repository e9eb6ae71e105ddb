#!/usr/bin/env python3
"""The Region's view and the Ambiti's isolation on PostgreSQL (issue 12, ADR 0021), end to end through the
`fondi` binary and `fondi serve`, on the throwaway cluster of Scripts/test.

Usage: Tests/Regione/regione.py FONDI APP_URL   (APP_URL = postgres://fondi_app@127.0.0.1:PORT/fondi)

- Two Ambiti: CASARANO (application role fondi_app) and GALLIPOLI (fondi_app_altro), each loaded, and REGIONE,
  the regional server's own ledger (its users), whose application role is fondi_regione.
- The regional server (`fondi serve --regione`) shows a consultazione user both Ambiti side by side, page and
  API, with each Ambito's totals equal to its own `fondi prospetto`.
- An Ambito's server has no regional view (404); its users' tokens do not open another Ambito's server (401).
- The regional role reads an Ambito's ledger but cannot write it; GALLIPOLI's role cannot even read CASARANO's.
Exits 1 on the first failure, with what failed.
"""
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

fondi, app = sys.argv[1], sys.argv[2]
proprietario = app.replace("fondi_app@", "fondi_proprietario@")
regione = app.replace("fondi_app@", "fondi_regione@")
altro = app.replace("fondi_app@", "fondi_app_altro@")
suffisso = str(os.getpid())
CAS, GAL, REG = "CASARANO" + suffisso, "GALLIPOLI" + suffisso, "REGIONE" + suffisso
fallimenti = []


def esegui(*argomenti, db=None, ingresso=None):
    comando = [fondi] + (["--db", db] if db else []) + list(argomenti)
    r = subprocess.run(comando, input=ingresso, capture_output=True, text=True, timeout=120)
    return r.returncode, r.stdout, r.stderr


def controlla(condizione, cosa):
    if not condizione:
        fallimenti.append(cosa)
        print("FALLITO:", cosa, file=sys.stderr)


def deve(argomenti, db=None, ingresso=None):
    codice, out, err = esegui(*argomenti, db=db, ingresso=ingresso)
    if codice != 0:
        print(f"fondi {' '.join(argomenti)} --db {db}: uscita {codice}: {err}", file=sys.stderr)
        sys.exit(1)
    return out


# The Ambiti, created by the owner for their application roles, and loaded with the real Casarano data.
deve(["init"], db=f"{proprietario}?ambito={CAS}")
deve(["init"], db=f"{proprietario}?ambito={GAL}&applicazione=fondi_app_altro")
deve(["init"], db=f"{proprietario}?ambito={REG}&applicazione=fondi_regione")
for f in ["casarano-00-servizi.jsonl", "casarano-01-pdz-2018-2021.jsonl"]:
    deve(["importa", "Scripts/data/" + f, "--utente", "prova"], db=f"{app}?ambito={CAS}")
for f in ["casarano-00-servizi.jsonl", "casarano-01-pdz-2018-2021.jsonl", "casarano-02-pdz-2022-2024.jsonl"]:
    deve(["importa", "Scripts/data/" + f, "--utente", "prova"], db=f"{altro}?ambito={GAL}")

# Users: a consultazione user of the Region, an operatore of CASARANO.
password = "una frase lunga almeno dodici"
deve(["utente", "aggiungi", "--nome", "revisore", "--ruolo", "consultazione", "--utente", "prova"], db=f"{regione}?ambito={REG}", ingresso=password + "\n")
deve(["utente", "aggiungi", "--nome", "anna", "--ruolo", "operatore", "--utente", "prova"], db=f"{app}?ambito={CAS}", ingresso=password + "\n")
token_regione = deve(["utente", "token", "--nome", "revisore", "--utente", "prova"], db=f"{regione}?ambito={REG}").split()[-1]
token_anna = deve(["utente", "token", "--nome", "anna", "--utente", "prova"], db=f"{app}?ambito={CAS}").split()[-1]


def porta_libera():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def servi(db, *altri):
    porta = porta_libera()
    log = tempfile.TemporaryFile()
    p = subprocess.Popen([fondi, "--db", db, "serve", "--porta", str(porta), *altri], stdout=log, stderr=log)
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{porta}/salute", timeout=2)
            return p, porta
        except Exception:
            time.sleep(0.05)
    print("il server non parte", file=sys.stderr)
    sys.exit(1)


def chiedi(porta, percorso, token=None):
    richiesta = urllib.request.Request(f"http://127.0.0.1:{porta}{percorso}")
    if token:
        richiesta.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(richiesta, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


server_regione, porta_regione = servi(f"{regione}?ambito={REG}", "--regione")
server_cas, porta_cas = servi(f"{app}?ambito={CAS}")
try:
    stato, corpo = chiedi(porta_regione, "/api/v1/regione/prospetto", token_regione)
    controlla(stato == 200, f"GET regione/prospetto dal servizio regionale: {stato} {corpo[:200]}")
    if stato == 200:
        dati = json.loads(corpo)
        ambiti = [r["ambito"] for r in dati["ambiti"]]
        controlla(CAS in ambiti and GAL in ambiti, f"entrambi gli ambiti nel prospetto regionale: {ambiti}")
        controlla(REG not in ambiti, "il registro del servizio regionale non è tra gli ambiti")
        for codice, db in [(CAS, f"{app}?ambito={CAS}"), (GAL, f"{altro}?ambito={GAL}")]:
            proprio = json.loads(deve(["prospetto", "--formato", "json"], db=db))["totale"][0]
            riga = next(r for r in dati["ambiti"] if r["ambito"] == codice)
            controlla(all(riga[k] == v for k, v in proprio.items()), f"i totali di {codice} come il suo fondi prospetto: {riga} / {proprio}")
            controlla(sum(1 for r in dati["fonti"] if r["ambito"] == codice) == proprio["fonti"], f"le fonti di {codice}")
    # The regional view is kept per Ambito head (ADR 0027): a write to one Ambito shows at the next read.
    deve(["fonte", "registra", "--codice", "NUOVA-2024", "--tipo", "FNPS", "--annualita", "2024", "--importo", "1.234,56",
          "--vincolata", "--atto", "DGR 9/2024", "--data", "2024-02-01", "--utente", "prova"], db=f"{app}?ambito={CAS}")
    stato, corpo = chiedi(porta_regione, "/api/v1/regione/prospetto", token_regione)
    proprio = json.loads(deve(["prospetto", "--formato", "json"], db=f"{app}?ambito={CAS}"))["totale"][0]
    riga = next((r for r in json.loads(corpo)["ambiti"] if r["ambito"] == CAS), {}) if stato == 200 else {}
    controlla(all(riga.get(k) == v for k, v in proprio.items()), f"dopo una scrittura, i totali di {CAS} aggiornati: {riga} / {proprio}")
    stato, corpo = chiedi(porta_regione, "/api/v1/regione/prospetto")
    controlla(stato == 401, f"senza token: 401, non {stato}")
    stato, corpo = chiedi(porta_regione, "/api/v1/regione/prospetto", token_anna)
    controlla(stato == 401, f"il token di un utente di {CAS} non apre il servizio regionale: {stato}")
    stato, corpo = chiedi(porta_cas, "/api/v1/regione/prospetto", token_anna)
    controlla(stato == 404, f"il servizio di un ambito non ha la vista regionale: {stato}")
    stato, corpo = chiedi(porta_cas, "/api/v1/saldi", token_regione)
    controlla(stato == 401, f"il token della Regione non apre il servizio di un ambito: {stato}")
    stato, corpo = chiedi(porta_cas, "/api/v1/prospetto", token_anna)
    controlla(stato == 200, f"l'utente dell'ambito legge il suo prospetto: {stato}")
finally:
    for p in (server_regione, server_cas):
        p.terminate()
        p.wait(timeout=30)

# The database's own isolation, whatever the application does.
codice, out, err = esegui("saldi", "--per", "fonte", db=f"{regione}?ambito={CAS}")
controlla(codice == 0, f"la Regione legge il registro di {CAS}: {codice} {err}")
prima = deve(["verifica", "--formato", "json"], db=f"{app}?ambito={CAS}")
codice, out, err = esegui("servizio", "registra", "--codice", "X1", "--descrizione", "Intruso", "--atto", "A", "--utente", "regione", db=f"{regione}?ambito={CAS}")
controlla(codice != 0 and "permessi" in err, f"la Regione non scrive nel registro di {CAS}: {codice} {err}")
codice, out, err = esegui("saldi", db=f"{altro}?ambito={CAS}")
controlla(codice != 0 and "permessi" in err, f"il ruolo di {GAL} non legge il registro di {CAS}: {codice} {err}")
controlla(deve(["verifica", "--formato", "json"], db=f"{app}?ambito={CAS}") == prima, f"{CAS} invariato dopo i tentativi")

if fallimenti:
    print(f"regione: {len(fallimenti)} controlli falliti", file=sys.stderr)
    sys.exit(1)
print("regione: vista regionale e isolamento degli ambiti verificati")
