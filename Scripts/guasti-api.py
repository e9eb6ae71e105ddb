#!/usr/bin/env python3
"""The API's fault suite (issue 11), run by Scripts/guasti on the release binary.

1. kill -9 of `fondi serve` at a random moment while 8 clients post commands (single ones and lists of 3,
   one in eight refused on purpose), ROUNDS times. After each restart:
   - every command that got a 200 is in the ledger, exactly once;
   - no command that got an error (4xx, 503) is;
   - a command whose answer was lost (connection reset by the kill) is sent again with the same
     Idempotency-Key: it gets a 200 (422 for one meant to be refused) and is then in the ledger exactly
     once (never);
   - `verifica` is clean.
   Every fifth round stops the server with SIGTERM instead, which must exit 0 with the same promises.
2. A client that gives up on a slow request (a list of 1,000 commands, 1 ms timeout) and retries with the
   same Idempotency-Key: the commands are recorded once, and the retry says `ripetuto` when the first
   attempt had in fact been applied.

3. 200 clients that send half a request and stall do not keep others from reads and writes.

Usage: Scripts/guasti-api.py FONDI [ROUNDS]
Prints one `fase=guasti prova=… esito=ok` line per part; exits 1 naming the first broken promise.
"""
import atexit
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time

FONDI = os.path.abspath(sys.argv[1])
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 20
CLIENTS = 8


def fail(msg):
    print(f"GUASTO NON RETTO: {msg}", file=sys.stderr)
    sys.exit(1)


# A failure seen by a client thread (sys.exit there would end only the thread): checked after join().
thread_failures = []


def fail_in_thread(msg):
    thread_failures.append(msg)
    raise SystemExit


def fondi(*args, stdin=None):
    r = subprocess.run([FONDI, *args], input=stdin, capture_output=True, text=True)
    if r.returncode != 0:
        fail(f"fondi {' '.join(args)}: {r.stderr.strip()}")
    return r.stdout


servers = []
# A failed check must not leave a server running behind it.
atexit.register(lambda: [p.kill() for p in servers if p.poll() is None])


class Server:
    def __init__(self, db):
        self.p = subprocess.Popen([FONDI, "serve", "--db", db, "--porta", "0"], stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, text=True)
        servers.append(self.p)
        line = self.p.stdout.readline().strip()
        if not line.startswith("in ascolto su http://"):
            fail(f"il server non è partito: {line!r}")
        self.port = int(line.rsplit(":", 1)[1])

    def kill9(self):
        self.p.send_signal(signal.SIGKILL)
        self.p.wait()

    def term(self):
        """SIGTERM: in-flight requests finish, then the process exits 0."""
        self.p.send_signal(signal.SIGTERM)
        return self.p.wait(timeout=30)


def call(port, token, method, path, body=None, key=None, timeout=10.0):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    h = {"Authorization": f"Bearer {token}"}
    if body is not None:
        h["Content-Type"] = "application/json"
    if key:
        h["Idempotency-Key"] = key
    try:
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        return r.status, r.read().decode()
    finally:
        c.close()


def impegno(numero, fonte="F"):
    return {"comando": "impegna", "numero": numero, "fonte": fonte, "servizio": "S", "esercizio": 2023,
            "importo": "1,00", "creditore": "C", "oggetto": "O", "atto": "A", "data": "2023-02-01"}


def ledger_numeri(port, token):
    """Every impegno numero in the ledger, with how many ImpegnoAssunto events carry it."""
    seen, da = {}, 1
    while True:
        s, body = call(port, token, "GET", f"/api/v1/eventi?da={da}&limite=100000", timeout=60)
        if s != 200:
            fail(f"GET eventi: {s} {body}")
        lines = [l for l in body.split("\n") if l]
        for l in lines:
            o = json.loads(l)
            if o.get("tipo") == "ImpegnoAssunto":
                n = find_numero(o)
                seen[n] = seen.get(n, 0) + 1
        if len(lines) < 100000:
            return seen
        da += len(lines)


def find_numero(o):
    if isinstance(o, dict):
        if "numero" in o and isinstance(o["numero"], str):
            return o["numero"]
        for v in o.values():
            n = find_numero(v)
            if n:
                return n
    return None


def main():
    work = tempfile.mkdtemp(prefix="fondi-guasti-api-")
    db = os.path.join(work, "registro.sqlite")
    fondi("init", "--db", db)
    fondi("fonte", "registra", "--db", db, "--codice", "F", "--tipo", "T", "--annualita", "2023", "--importo",
          "100.000.000,00", "--atto", "A", "--vincolata", "--data", "2023-01-02")
    fondi("servizio", "registra", "--db", db, "--codice", "S", "--descrizione", "Servizio", "--data", "2023-01-02")
    fondi("programma", "--db", db, "--fonte", "F", "--servizio", "S", "--esercizio", "2023", "--importo",
          "100.000.000,00", "--atto", "A", "--data", "2023-01-03")
    fondi("utente", "aggiungi", "--db", db, "--nome", "cliente", "--ruolo", "operatore", stdin="una frase lunga almeno dodici\n")
    token = fondi("utente", "token", "--db", db, "--nome", "cliente").strip().split()[-1]

    ok, refused, lost = {}, set(), {}  # numero -> key; numeri; key -> body
    totals = {"ok": 0, "rifiutati": 0, "persi": 0, "riprovati": 0, "uccisioni": 0, "sigterm": 0}
    lock = threading.Lock()

    def client(port, rnd, cid, stop):
        i = 0
        while not stop.is_set():
            i += 1
            base = f"{rnd}.{cid}.{i}"
            bad = random.random() < 0.125
            if random.random() < 0.3:
                nums = [f"{base}.{k}" for k in range(3)]
                cmds = [impegno(n) for n in nums]
                if bad:
                    cmds[2] = impegno(nums[2], fonte="NESSUNA")
                body = json.dumps({"comandi": cmds})
            else:
                nums = [base]
                body = json.dumps(impegno(base, fonte="NESSUNA" if bad else "F"))
            key = "k-" + base
            try:
                s, answer = call(port, token, "POST", "/api/v1/comandi", body=body, key=key)
            except Exception:
                # The server died with the request in flight: the outcome is unknown until the retry.
                with lock:
                    lost[key] = (body, nums, bad)
                    totals["persi"] += 1
                return
            with lock:
                if s == 200:
                    if bad:
                        fail_in_thread(f"{key}: un comando che doveva essere rifiutato ha avuto 200: {answer}")
                    for n in nums:
                        ok[n] = key
                    totals["ok"] += 1
                elif s in (422, 503):
                    refused.update(nums)
                    totals["rifiutati"] += 1
                else:
                    fail_in_thread(f"{key}: stato inatteso {s}: {answer}")

    def check(port, rnd):
        v_s, v = call(port, token, "GET", "/api/v1/verifica", timeout=120)
        if v_s != 200 or json.loads(v)["esito"] != "ok":
            fail(f"round {rnd}: verifica dopo kill -9: {v_s} {v}")
        # Lost answers: sent again with the same key, each must now be a 200 and in the ledger once.
        for key, (body, nums, bad) in list(lost.items()):
            s, answer = call(port, token, "POST", "/api/v1/comandi", body=body, key=key)
            if s != (422 if bad else 200):
                fail(f"round {rnd}: riprova di {key}: {s} {answer}")
            if bad:
                refused.update(nums)
            else:
                for n in nums:
                    ok[n] = key
            totals["riprovati"] += 1
            del lost[key]
        seen = ledger_numeri(port, token)
        for n in ok:
            if seen.get(n, 0) != 1:
                fail(f"round {rnd}: l'impegno {n} ha avuto 200 ma è nel registro {seen.get(n, 0)} volte")
        for n in refused:
            if n in seen:
                fail(f"round {rnd}: l'impegno {n} è stato rifiutato ma è nel registro")
        extra = set(seen) - set(ok)
        if extra:
            fail(f"round {rnd}: impegni nel registro senza un 200: {sorted(extra)[:5]}")

    server = Server(db)
    for rnd in range(1, ROUNDS + 1):
        stop = threading.Event()
        threads = [threading.Thread(target=client, args=(server.port, rnd, c, stop)) for c in range(CLIENTS)]
        for t in threads:
            t.start()
        time.sleep(random.uniform(0.2, 1.5))
        if rnd % 5 == 0:
            # Every fifth round a graceful stop instead: same promises, and exit 0.
            rc = server.term()
            if rc != 0:
                fail(f"round {rnd}: SIGTERM: il server esce con {rc}")
            totals["sigterm"] += 1
        else:
            server.kill9()
            totals["uccisioni"] += 1
        stop.set()
        for t in threads:
            t.join()
        if thread_failures:
            fail(f"round {rnd}: " + "; ".join(thread_failures[:3]))
        server = Server(db)
        check(server.port, rnd)
    print(f"fase=guasti prova=kill-9-api round={ROUNDS} kill9={totals['uccisioni']} sigterm={totals['sigterm']} "
          f"client={CLIENTS} risposte_200={totals['ok']} "
          f"rifiutati={totals['rifiutati']} risposte_perse={totals['persi']} riprovati={totals['riprovati']} "
          f"impegni={len(ok)} esito=ok")

    # 2. A client that times out and retries with the same key.
    applied_first, tries = 0, 5
    for t in range(tries):
        nums = [f"lento.{t}.{k}" for k in range(1000)]
        body = json.dumps({"comandi": [impegno(n) for n in nums]})
        key = f"lento-{t}"
        s0 = json.loads(call(server.port, token, "GET", "/api/v1/verifica")[1])["eventi"]
        try:
            call(server.port, token, "POST", "/api/v1/comandi", body=body, key=key, timeout=0.001)
            timed_out = False
        except Exception:
            timed_out = True
        # Wait for the abandoned request to finish (or to be dropped) before retrying.
        deadline = time.time() + 10
        while time.time() < deadline:
            s1 = json.loads(call(server.port, token, "GET", "/salute")[1])["ultimo_seq"]
            if s1 >= s0 + 1000:
                break
            time.sleep(0.05)
        applied = s1 >= s0 + 1000
        s, answer = call(server.port, token, "POST", "/api/v1/comandi", body=body, key=key, timeout=60)
        if s != 200:
            fail(f"riprova dopo timeout: {s} {answer}")
        r = json.loads(answer)
        if applied and timed_out and not r["ripetuto"]:
            fail(f"riprova dopo timeout: il primo invio era già registrato ma la riprova non dice ripetuto: {answer}")
        if timed_out and applied:
            applied_first += 1
        seen = ledger_numeri(server.port, token)
        for n in nums:
            if seen.get(n, 0) != 1:
                fail(f"riprova dopo timeout: l'impegno {n} è nel registro {seen.get(n, 0)} volte")
    if applied_first == 0:
        fail("riprova dopo timeout: in nessun tentativo il server ha registrato la richiesta abbandonata; la prova non prova nulla")
    print(f"fase=guasti prova=riprova-dopo-timeout tentativi={tries} registrati_prima_della_riprova={applied_first} esito=ok")

    # 3. Slow clients do not block others: 200 connections that send half a request and stall, then
    #    ordinary reads and a write still get their answers (each within the 10 s client timeout).
    import socket
    stalled = []
    for _ in range(200):
        so = socket.create_connection(("127.0.0.1", server.port))
        # Authorized, so the server is past sign-in and waiting for the rest of the body.
        so.sendall(f"POST /api/v1/comandi HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
                   f"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{{\"comando\"".encode())
        stalled.append(so)
    start = time.time()
    for _ in range(20):
        s, _ = call(server.port, token, "GET", "/api/v1/saldi?per=fonte")
        if s != 200:
            fail(f"client lenti: una lettura ha avuto {s}")
    s, answer = call(server.port, token, "POST", "/api/v1/comandi", body=json.dumps(impegno("dopo-i-lenti")))
    if s != 200:
        fail(f"client lenti: una scrittura ha avuto {s} {answer}")
    elapsed = time.time() - start
    # The stalled requests are still waiting for their bodies: no answer yet on any of them.
    for so in stalled:
        so.setblocking(False)
        try:
            if so.recv(1):
                fail("client lenti: una richiesta ferma a metà ha avuto una risposta")
        except BlockingIOError:
            pass
        so.close()
    print(f"fase=guasti prova=client-lenti connessioni_ferme=200 letture=20 scritture=1 secondi={elapsed:.2f} esito=ok")
    server.kill9()


if __name__ == "__main__":
    main()
