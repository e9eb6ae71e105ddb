#!/usr/bin/env python3
"""Faults on PostgreSQL (issue 12), through the `fondi` binary, on a throwaway cluster of Scripts/test.

Usage: Scripts/guasti-postgres.py FONDI CLUSTER_DIR PORT [ROUNDS]

Each round appends one `fondi importa` of a few thousand impegni (one transaction) to an Ambito, and breaks it
at a random moment in one of three ways:
  - kill -9 of fondi;
  - kill -9 of the PostgreSQL server itself (its postmaster), then a restart;
  - the server ends fondi's connection (pg_terminate_backend): fondi must say in Italian that the command was
    not confirmed and can be repeated with the same --chiave.
After each: the ledger holds the whole file or none of it (never part), `verifica` is clean, and the import is
then repeated with its key: recorded once, and a further repetition writes nothing ("già importato").
Then 8 `fondi` processes race to commit an impegno of 1,00 each on a linea with room for 5, at once: exactly 5
are accepted, 3 refused by the rule, the chain verifies (no gap, no fork) and the linea is not over-committed.
Exits 1 on the first failure.
"""
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

fondi, cartella, porta = sys.argv[1], sys.argv[2], sys.argv[3]
giri = int(sys.argv[4]) if len(sys.argv) > 4 else 6
bin_pg = next(f"/usr/lib/postgresql/{v}/bin" for v in sorted(os.listdir("/usr/lib/postgresql"), reverse=True))
base = f"postgres://fondi_app@127.0.0.1:{porta}/fondi"
# The cluster of Scripts/postgres-temporaneo serves TLS (ADR 0025): a restarted server keeps it, so fondi's
# default sslmode (prefer) connects encrypted before and after each fault.
tls = (f" -c ssl=on -c ssl_cert_file='{cartella}/tls/server.crt' -c ssl_key_file='{cartella}/tls/server.key'"
       if os.path.exists(f"{cartella}/tls/server.crt") else "")
proprietario = base.replace("fondi_app@", "fondi_proprietario@")
random.seed(int(os.environ.get("FONDI_SEME", "12")))


def fallisci(messaggio):
    print("FALLITO:", messaggio, file=sys.stderr)
    sys.exit(1)


def esegui(*argomenti, db):
    return subprocess.run([fondi, "--db", db, *argomenti], capture_output=True, text=True, timeout=300)


def come_postgres(comando):
    if os.geteuid() == 0:
        return subprocess.run(["su", "postgres", "-s", "/bin/bash", "-c", comando], capture_output=True, text=True)
    return subprocess.run(["bash", "-c", comando], capture_output=True, text=True)


def psql(sql):
    return come_postgres(f"'{bin_pg}/psql' -h 127.0.0.1 -p {porta} -U postgres -d fondi -tA -c \"{sql}\"")


def server_pronto():
    for _ in range(300):
        if psql("SELECT 1").returncode == 0:
            return
        time.sleep(0.1)
    fallisci("il server PostgreSQL non è ripartito")


def eventi(db):
    r = esegui("verifica", "--formato", "json", db=db)
    if r.returncode != 0:
        fallisci(f"verifica non pulita ({r.returncode}): {r.stdout[:300]} {r.stderr[:300]}")
    v = json.loads(r.stdout)
    if v.get("differenze"):
        fallisci(f"verifica: differenze {v['differenze']}")
    return v["eventi"]


cartella_file = tempfile.mkdtemp()


def righe_di(n):
    return [
        {"comando": "fonte registra", "codice": "FNPS-2023", "tipo": "FNPS", "annualita": 2023, "importo": "10.000.000,00",
         "vincolata": True, "atto": "DGR 1/2023", "data": "2023-01-10"},
        {"comando": "servizio registra", "codice": "SAD", "descrizione": "Assistenza domiciliare", "data": "2023-01-10"},
        {"comando": "programma", "fonte": "FNPS-2023", "servizio": "SAD", "esercizio": 2023, "importo": "10.000.000,00",
         "atto": "Del. 1/2023", "data": "2023-01-15"},
    ] + [{"comando": "impegna", "numero": f"2023/{k}", "fonte": "FNPS-2023", "servizio": "SAD", "esercizio": 2023, "importo": "1,00",
          "creditore": "Coop", "oggetto": "SAD", "atto": f"Det. {k}", "data": "2023-02-01"} for k in range(1, n + 1)]


# How long one import of this size takes here, uninterrupted: each fault then strikes inside that time.
ambito_base = f"GUASTOBASE{os.getpid()}"
esegui("init", db=f"{proprietario}?ambito={ambito_base}")
file_base = os.path.join(cartella_file, "base.jsonl")
with open(file_base, "w") as f:
    f.write("\n".join(json.dumps(r) for r in righe_di(3000)) + "\n")
inizio = time.monotonic()
if esegui("importa", file_base, "--utente", "guasti", db=f"{base}?ambito={ambito_base}").returncode != 0:
    fallisci("l'importazione di riferimento non riesce")
durata = time.monotonic() - inizio
print(f"importazione di riferimento: 3003 righe in {durata:.2f} s")
interrotti = 0
for giro in range(giri):
    modo = ["kill-fondi", "kill-server", "connessione-chiusa"][giro % 3]
    ambito = f"GUASTO{os.getpid()}_{giro}"
    db = f"{base}?ambito={ambito}"
    r = esegui("init", db=f"{proprietario}?ambito={ambito}")
    if r.returncode != 0:
        fallisci(f"init: {r.stderr}")
    # The lines: a fonte, a servizio, a programma, then N impegni on it.
    n = random.randint(2000, 4000)
    righe = righe_di(n)
    file = os.path.join(cartella_file, f"giro{giro}.jsonl")
    with open(file, "w") as f:
        f.write("\n".join(json.dumps(r) for r in righe) + "\n")
    attesi = len(righe)
    chiave = f"importa-{giro}"
    p = subprocess.Popen([fondi, "--db", db, "importa", file, "--utente", "guasti", "--chiave", chiave],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(random.uniform(0.1, 0.8) * durata * n / 3000)
    if modo == "kill-fondi":
        p.send_signal(signal.SIGKILL)
    elif modo == "kill-server":
        pid = open(os.path.join(cartella, "dati", "postmaster.pid")).readline().strip()
        os.kill(int(pid), signal.SIGKILL)
    else:
        psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'fondi_app' AND pid <> pg_backend_pid()")
    out, err = p.communicate(timeout=300)
    if modo == "kill-server":
        # The children of a killed postmaster end on their own (until then the old shared memory is in use and
        # a new postmaster refuses to start); then the cluster restarts with crash recovery.
        for _ in range(60):
            r = come_postgres(f"'{bin_pg}/pg_ctl' -D '{cartella}/dati' -l '{cartella}/server.log' -w start -o \"-p {porta} -k '{cartella}' -c listen_addresses=127.0.0.1 -c max_connections=200{tls}\"")
            if r.returncode == 0:
                break
            time.sleep(0.5)
        server_pronto()
    if p.returncode == 0:
        esito = "finito prima del guasto"
    else:
        if modo != "kill-fondi" and "errore:" not in err:
            fallisci(f"{modo}: nessun messaggio d'errore di fondi: {err[:300]}")
        if modo == "connessione-chiusa" and "--chiave" not in err:
            fallisci(f"connessione chiusa: il messaggio non dice di ripetere con la stessa --chiave: {err.strip()}")
        esito = f"interrotto ({p.returncode}): {err.strip()[:160]}"
        interrotti += 1
    presenti = eventi(db)
    if presenti not in (0, attesi):
        fallisci(f"{modo}: {presenti} eventi su {attesi}: l'importazione è stata scritta a metà")
    # Repeated with its key: recorded once.
    r = esegui("importa", file, "--utente", "guasti", "--chiave", chiave, db=db)
    if r.returncode != 0:
        fallisci(f"{modo}: la ripetizione con la chiave non riesce: {r.stderr}")
    r = esegui("importa", file, "--utente", "guasti", "--chiave", chiave, db=db)
    if r.returncode != 0 or "già importato" not in r.stdout:
        fallisci(f"{modo}: la seconda ripetizione non è riconosciuta: {r.stdout} {r.stderr}")
    if eventi(db) != attesi:
        fallisci(f"{modo}: dopo le ripetizioni {eventi(db)} eventi invece di {attesi}")
    print(f"giro {giro} {modo}: {esito}; prima della ripetizione {presenti} eventi, dopo {attesi}; verifica pulita")
# A fault that always came too late would test nothing.
if giri > 0 and interrotti < (giri + 1) // 2:
    fallisci(f"solo {interrotti} giri su {giri} interrotti durante l'importazione: i guasti non colpiscono")

# Processes racing on one linea (each its own connection; writers take turns on the head row).
ambito = f"GARA{os.getpid()}"
db = f"{base}?ambito={ambito}"
esegui("init", db=f"{proprietario}?ambito={ambito}")
for argomenti in [["fonte", "registra", "--codice", "F", "--tipo", "FNA", "--annualita", "2023", "--importo", "100,00", "--vincolata", "--atto", "A"],
                  ["servizio", "registra", "--codice", "S", "--descrizione", "SAD"],
                  ["programma", "--fonte", "F", "--servizio", "S", "--esercizio", "2023", "--importo", "5,00", "--atto", "P"]]:
    r = esegui(*argomenti, "--data", "2023-02-01", "--utente", "gara", db=db)
    if r.returncode != 0:
        fallisci(f"gara, preparazione: {r.stderr}")
processi = [subprocess.Popen([fondi, "--db", db, "impegna", "--numero", f"2023/{k}", "--fonte", "F", "--servizio", "S", "--esercizio", "2023",
                              "--importo", "1,00", "--creditore", "Coop", "--oggetto", "SAD", "--atto", f"Det. {k}", "--data", "2023-03-01",
                              "--utente", "gara"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for k in range(8)]
esiti = [(p.wait(timeout=120), p.stderr.read()) for p in processi]
accettati = sum(1 for c, _ in esiti if c == 0)
rifiutati = [e for c, e in esiti if c == 1]
if accettati != 5 or len(rifiutati) != 3 or not all("supera il disponibile" in e for e in rifiutati):
    fallisci(f"gara: {accettati} accettati, rifiutati {rifiutati}")
if eventi(db) != 3 + 5:
    fallisci(f"gara: {eventi(db)} eventi invece di 8")
saldi = json.loads(esegui("saldi", "--per", "linea", "--formato", "json", db=db).stdout)["righe"][0]
if saldi["impegnato"] != 500 or saldi["programmato"] != 500:
    fallisci(f"gara: linea {saldi}")
print("gara: 8 processi, 5 impegni accettati, 3 rifiutati, linea impegnata per intero e non oltre, verifica pulita")
print(f"guasti-postgres: {giri} giri superati")
