# CLI and server on one ledger at once (issue 10): signs in, reads the saldi per fonte, lets the CLI record an
# impegno, reads again; then posts 15 impegna forms while the CLI records 15 others, concurrently.
# Prints "prima|dopo|accettati_web|accettati_cli" for the Swift test to check against the ledger.
import http.cookiejar, re, subprocess, sys, threading, urllib.parse, urllib.request
base, fondi, db, nome, password = sys.argv[1:6]
cj = http.cookiejar.CookieJar()
op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cj))
def get(p): return op.open(base + p).read().decode()
def post(p, campi): return op.open(base + p, urllib.parse.urlencode(campi).encode())
def csrf(html): return re.search(r'name="csrf" value="([^"]*)"', html).group(1)
post("/accesso", {"csrf": csrf(get("/accesso")), "nome": nome, "password": password})
def impegnato():
    # The saldi per fonte as the page's CSV (`;`, Italian Excel), one line per fonte: a new impegno changes the FNA-2023 line; and the
    # cruscotto's page, whose body the server keeps per chain head, must change with it (a summed figure is a link).
    csv = next(r for r in get("/saldi?per=fonte&formato=csv").splitlines() if r.startswith("FNA-2023;"))
    pagina = get("/")
    return csv + " " + re.search(r"<td>FNA-2023</td>|FNA-2023</a></td>(<td[^>]*>(<a [^>]*>)?[^<]*(</a>)?</td>){4}", pagina).group(0)
prima = impegnato()
assert subprocess.run([fondi, "impegna", "--db", db, "--numero", "CLI/0", "--fonte", "FNA-2023", "--servizio", "CONTR", "--esercizio", "2023",
                       "--importo", "1", "--creditore", "C", "--oggetto", "O", "--atto", "A", "--data", "2023-03-01"]).returncode == 0
dopo = impegnato()
esiti = {"web": 0, "cli": 0}
def cli():
    for k in range(1, 16):
        r = subprocess.run([fondi, "impegna", "--db", db, "--numero", f"CLI/{k}", "--fonte", "FNA-2023", "--servizio", "CONTR", "--esercizio", "2023",
                            "--importo", "1", "--creditore", "C", "--oggetto", "O", "--atto", "A", "--data", "2023-03-01"], capture_output=True)
        esiti["cli"] += r.returncode == 0
t = threading.Thread(target=cli)
t.start()
token = csrf(get("/comandi/impegna"))
for k in range(1, 16):
    campi = {"csrf": token, "chiave": f"web-insieme-{k}", "numero": f"WEB/{k}", "fonte": "FNA-2023", "servizio": "CONTR", "esercizio": "2023",
             "importo": "1,00", "creditore": "C", "oggetto": "O", "atto": "A", "data": "2023-03-01"}
    r = post("/comandi/impegna", campi)
    # A form lands on the page of what it recorded, with the events it appended.
    esiti["web"] += r.status == 200 and "/impegno?numero=WEB" in r.url and "registrati=" in r.url
    # The same form again (a double click): recorded once.
    post("/comandi/impegna", campi)
t.join()
print(f"{prima}|{dopo}|{esiti['web']}|{esiti['cli']}", end="")
