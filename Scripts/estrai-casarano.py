#!/usr/bin/env python3
"""Extract the PROGRAMMAZIONE ECONOMICA tables of the Casarano Piano Sociale di Zona 2022-2024
(shared/seeds/001_7512422fd5b4a79e.txt, chapter III) into `fondi importa` JSON Lines.

Run once by a developer; its output, Scripts/data/casarano-pdz-2022-2024.jsonl, is committed so the
demo needs no Python. Every row's split by source is checked against the row's programmed amount and
the 2022 total against the document (5.330.425,61) before anything is written.
"""
import json, re, sys
from pathlib import Path

SEED = Path(__file__).resolve().parents[2] / "shared/seeds/001_7512422fd5b4a79e.txt"

# Service code as printed in the "INTERVENTI E SERVIZI" row (dots dropped). Three tables have no
# code there; they get the letter of their macro-attività / obiettivo tematico (J, F6, F7).
SERVIZI = {
    "A1": "Segretariato Sociale - PUA; Sportello Immigrati",
    "A2": "Servizio Sociale Professionale",
    "A3": "Centri Antiviolenza",
    "B1": "Integrazione al reddito",
    "B2": "Sostegno socio-educativo territoriale o domiciliare (ADE)",
    "B3": "Sostegno socio-educativo scolastico",
    "B4": "Supporto alle famiglie e alle reti familiari",
    "B5": "Attività di mediazione",
    "B6": "Sostegno all'inserimento lavorativo",
    "B7": "Pronto Intervento Sociale e interventi per le povertà estreme",
    "B8": "Altri interventi per l'integrazione e l'inclusione sociale",
    "C1": "Assistenza domiciliare socio-assistenziale (SAD)",
    "C2": "Assistenza domiciliare integrata con servizi sanitari (ADI)",
    "C3": "Altri interventi per la domiciliarità (dimissioni protette)",
    "C4": "Trasporto sociale",
    "D2": "Centri con funzione socio-assistenziale",
    "D4": "Centri servizi per povertà estrema",
    "E1": "Alloggi per accoglienza di emergenza",
    "E3": "Strutture per minori a carattere familiare",
    "E8": "Integrazione retta/voucher per strutture residenziali",
    "F2": "Progetti di Vita Indipendente e Dopo di Noi",
    "F3": "Sostegno alla figura del caregiver familiare",
    "J1": "Servizi sociali per la prima infanzia",
    "F6": "Interventi conciliazione vita-lavoro (buoni servizio)",
    "F7": "Interventi di inclusione per LGBTI",
    "F8": "Abbattimento barriere architettoniche",
    "T": "Ufficio di Piano, sistemi informativi, monitoraggio e valutazione",
}
# Table order in the document (27 tables), by service code.
ORDINE = ["A1", "A2", "A3", "B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "C1", "C2", "C3", "C4",
          "D2", "D4", "E1", "E3", "E8", "F2", "F3", "J1", "F6", "F7", "F8", "T"]

# Source label in the tables -> fonte code. PdZ is the Fondo unico di Ambito; PNRR is split by
# investment line because each has its own CUP and rendicontazione.
def fonte_di(etichetta, servizio):
    e = etichetta.lower()
    if "pnrr" in e:
        return {"B4": "PNRR-M5C2-1.1.1", "D4": "PNRR-M5C2-1.3.2", "F2": "PNRR-M5C2-1.2"}[servizio]
    for chiave, codice in [
        ("assistenza all'autonomia", "FONDO-AUTONOMIA-DISABILI"), ("intesa famiglia", "REG-INTESA-FAMIGLIA"),
        ("dgr 220", "REG-DGR-220-2020"), ("react", "REACT-EU"), ("caregiver", "FONDO-CAREGIVER"),
        ("sistema integrato", "SISTEMA-0-6"), ("buoni minori", "BUONI-MINORI"),
        ("buoni anziani", "BUONI-ANZIANI-DISABILI"), ("pac anziani", "PAC-ANZIANI"),
        ("pac infanzia", "PAC-INFANZIA"), ("pon inclusio", "PON-INCLUSIONE"), ("pais", "PAIS"),
        ("qfp", "QFP-2021"), ("pdz", "PDZ-2022-2024"), ("regione", "REGIONE"),
    ]:
        if chiave in e:
            return codice
    raise SystemExit(f"fonte sconosciuta: {etichetta!r}")

FONTI = {  # code: (tipo, annualita, descrizione, importo or None = sum of its programmazione)
    # Budget PdZ 2022-2024 (8.515.853,74) less the two QFP items (own fonte) and the residui of the
    # previous plan (273.854,03), which arrive as their own fonte RESIDUI-PDZ-2018-2021.
    "PDZ-2022-2024": ("PdZ", 2022, "Fondo unico di Ambito: FNPS, FNA 2022, FGSA, cofinanziamento comunale", 650086913),
    "QFP-2021": ("Fondo Povertà", 2021, "Quota Fondo Povertà 2021 e residui QFP 2018-2020", 174113058),
    "PAIS": ("PON Inclusione", 2019, "PON Inclusione Avviso 1/2019 PaIS", None),
    "PON-INCLUSIONE": ("PON Inclusione", 2022, "PON Inclusione", None),
    "REGIONE": ("Regionale", 2022, "Risorse regionali", None),
    "REG-DGR-220-2020": ("Regionale", 2020, "Piano regionale politiche familiari, DGR 220/2020", None),
    "REG-INTESA-FAMIGLIA": ("Regionale", 2022, "Intesa Famiglia - Regione", None),
    "PNRR-M5C2-1.1.1": ("PNRR", 2022, "PNRR M5C2 inv. 1.1.1 - P.I.P.P.I.", None),
    "PNRR-M5C2-1.2": ("PNRR", 2022, "PNRR M5C2 inv. 1.2 - percorsi di autonomia per persone con disabilità", None),
    "PNRR-M5C2-1.3.2": ("PNRR", 2022, "PNRR M5C2 inv. 1.3.2 - stazioni di posta", None),
    "PAC-ANZIANI": ("PAC", 2022, "PAC Anziani II riparto", None),
    "PAC-INFANZIA": ("PAC", 2022, "PAC Infanzia", None),
    "FONDO-AUTONOMIA-DISABILI": ("Statale", 2023, "Fondo per l'assistenza all'autonomia e alla comunicazione degli alunni con disabilità", None),
    "REACT-EU": ("PON FSE", 2021, "REACT-EU Avviso 1/2021 PON FSE 2014-2020", None),
    "FONDO-CAREGIVER": ("Regionale", 2020, "Fondo caregiver familiare (DPCM 27 ottobre 2020)", None),
    "SISTEMA-0-6": ("Statale", 2022, "Sistema integrato 0-6", None),
    "BUONI-MINORI": ("Regionale", 2022, "Buoni servizio minori - Regione", None),
    "BUONI-ANZIANI-DISABILI": ("Regionale", 2022, "Buoni servizio anziani e disabili - Regione", None),
}

RESIDUO = 27385403  # residuo di finanziamento PdZ 2018-2021, chapter I.3

def scrivi(nome, righe):
    dest = Path(__file__).resolve().parent / "data" / nome
    dest.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in righe), encoding="utf-8")

def piano_precedente():
    """The rendiconto of the PdZ 2018-2021 (chapter I.3): budget 5.478.132,88, impegnato 5.204.278,85,
    residuo di finanziamento 273.854,03 on FNA 2019-2020. The document gives only these totals: the split
    by year and service below is illustrative (stated in README), and every total matches the document."""
    budget, impegnato = 547813288, 520427885
    fna = 2 * 20823520                      # FNA 2019 + 2020, at the 2022 yearly amount (assumption)
    pdz = budget - fna                      # 5.061.662,48, fully committed
    assert pdz + fna == budget and pdz + (fna - RESIDUO) == impegnato
    r = [
        {"comando": "fonte registra", "codice": "PDZ-2018-2021", "tipo": "PdZ", "annualita": 2018, "importo": euro(pdz),
         "atto": "PdZ 2018-2021, approvato", "vincolata": True, "descrizione": "Fondo unico di Ambito 2018-2021", "data": "2018-01-15"},
        {"comando": "fonte registra", "codice": "FNA-2019-2020", "tipo": "FNA", "annualita": 2019, "importo": euro(fna),
         "atto": "PdZ 2018-2021, aggiornamento", "vincolata": True, "descrizione": "Fondo non autosufficienza 2019-2020", "data": "2018-01-15"},
    ]
    quota = pdz // 4
    assert quota * 4 == pdz
    for anno in range(2018, 2022):
        r.append({"comando": "programma", "fonte": "PDZ-2018-2021", "servizio": "A2", "esercizio": anno, "importo": euro(quota),
                  "atto": f"PdZ 2018-2021, annualità {anno}", "data": f"{anno}-01-20"})
        if anno in (2019, 2020):
            r.append({"comando": "programma", "fonte": "FNA-2019-2020", "servizio": "C2", "esercizio": anno, "importo": euro(fna // 2),
                      "atto": f"PdZ 2018-2021, annualità {anno}", "data": f"{anno}-01-20"})
        # Two impegni a year commit the whole PdZ quota; 90% is paid within the year, the rest in conto residui.
        prima = quota * 6 // 10
        for k, (imp, cred) in enumerate([(prima, "Comuni dell'Ambito - personale sociale"), (quota - prima, "Ente gestore servizio sociale")]):
            numero = f"{anno}/{k + 1}"
            r.append({"comando": "impegna", "numero": numero, "fonte": "PDZ-2018-2021", "servizio": "A2", "esercizio": anno,
                      "importo": euro(imp), "creditore": cred, "oggetto": "Servizio sociale professionale",
                      "atto": f"Det. {10 + k}/{anno}", "data": f"{anno}-02-1{k}"})
            nell_anno = imp * 9 // 10
            r.append({"comando": "liquida", "numero": f"L{anno}/{k + 1}", "impegno": numero, "importo": euro(nell_anno),
                      "atto": f"Det. liq. {20 + k}/{anno}", "data": f"{anno}-11-1{k}"})
            r.append({"comando": "paga", "mandato": f"M{anno}/{k + 1}", "liquidazione": f"L{anno}/{k + 1}", "importo": euro(nell_anno),
                      "data": f"{anno}-11-2{k}"})
            r.append({"comando": "liquida", "numero": f"L{anno}/{k + 1}-saldo", "impegno": numero, "importo": euro(imp - nell_anno),
                      "atto": f"Det. liq. {30 + k}/{anno + 1}", "data": f"{anno + 1}-02-1{k}"})
            r.append({"comando": "paga", "mandato": f"M{anno}/{k + 1}-saldo", "liquidazione": f"L{anno}/{k + 1}-saldo",
                      "importo": euro(imp - nell_anno), "data": f"{anno + 1}-02-2{k}"})
        if anno == 2019:
            adi = fna - RESIDUO
            r.append({"comando": "impegna", "numero": "2019/3", "fonte": "FNA-2019-2020", "servizio": "C2", "esercizio": 2019,
                      "importo": euro(adi), "creditore": "Ente gestore ADI", "oggetto": "Assistenza domiciliare integrata",
                      "atto": "Det. 12/2019", "data": "2019-03-01"})
            r.append({"comando": "liquida", "numero": "L2019/3", "impegno": "2019/3", "importo": euro(adi),
                      "atto": "Det. liq. 22/2019", "data": "2019-12-10"})
            r.append({"comando": "paga", "mandato": "M2019/3", "liquidazione": "L2019/3", "importo": euro(adi), "data": "2019-12-20"})
        # Closing in March of the next year, after the payments in conto residui of January-February.
        r.append({"comando": "chiudi", "esercizio": anno, "atto": f"Rendiconto {anno}", "data": f"{anno + 1}-03-31"})
    # The closing of year N is dated in N+1, so the balance payments of N must come before it.
    r.sort(key=lambda x: x["data"])
    return r

def gestione():
    """A handful of realistic acts on the 2022-2024 plan: impegni, liquidazioni, pagamenti, a reduction,
    the closing of 2022 and payments in conto residui in 2023 (illustrative: the plan has no such detail)."""
    r = []
    def imp(numero, fonte, servizio, anno, importo, creditore, oggetto, atto, data, cig=None):
        x = {"comando": "impegna", "numero": numero, "fonte": fonte, "servizio": servizio, "esercizio": anno, "importo": importo,
             "creditore": creditore, "oggetto": oggetto, "atto": atto, "data": data}
        if cig: x["cig"] = cig
        r.append(x)
    def liq(numero, impegno, importo, atto, data, documento=None):
        x = {"comando": "liquida", "numero": numero, "impegno": impegno, "importo": importo, "atto": atto, "data": data}
        if documento: x["documento"] = documento
        r.append(x)
    def paga(mandato, liquidazione, importo, data):
        r.append({"comando": "paga", "mandato": mandato, "liquidazione": liquidazione, "importo": importo, "data": data})
    imp("2022/101", "PDZ-2022-2024", "A2", 2022, "601.768,42", "Comuni dell'Ambito - personale sociale", "Servizio sociale professionale 2022", "Det. 101/2022", "2022-04-01")
    imp("2022/102", "QFP-2021", "A2", 2022, "681.440,42", "Ente gestore servizio sociale", "Potenziamento servizio sociale (QFP)", "Det. 102/2022", "2022-04-01", "Z1A2B3C4D5")
    imp("2022/103", "RESIDUI-PDZ-2018-2021", "C2", 2022, "152.089,23", "Ente gestore ADI", "Assistenza domiciliare integrata 2022", "Det. 103/2022", "2022-04-15", "Z9F8E7D6C5")
    imp("2022/104", "PDZ-2022-2024", "C1", 2022, "209.734,30", "Ente gestore SAD", "Assistenza domiciliare anziani 2022", "Det. 104/2022", "2022-04-15")
    imp("2022/105", "PDZ-2022-2024", "B3", 2022, "249.094,92", "Cooperativa integrazione scolastica", "Integrazione scolastica a.s. 2022/23", "Det. 105/2022", "2022-09-01")
    r.append({"comando": "impegno riduci", "impegno": "2022/105", "importo": "12.450,00", "motivo": "ribasso d'asta", "atto": "Det. 140/2022", "data": "2022-10-03"})
    liq("L2022/101", "2022/101", "450.000,00", "Det. liq. 201/2022", "2022-09-30", "Rendiconto comuni I-III trim.")
    paga("M2022/101", "L2022/101", "450.000,00", "2022-10-15")
    liq("L2022/102", "2022/102", "500.000,00", "Det. liq. 202/2022", "2022-11-30", "Fatt. 88/2022")
    paga("M2022/102", "L2022/102", "480.000,00", "2022-12-15")
    liq("L2022/103", "2022/103", "120.000,00", "Det. liq. 203/2022", "2022-12-10", "Fatt. 131/2022")
    paga("M2022/103", "L2022/103", "120.000,00", "2022-12-20")
    liq("L2022/104", "2022/104", "150.000,00", "Det. liq. 204/2022", "2022-12-10", "Fatt. 140/2022")
    paga("M2022/104", "L2022/104", "150.000,00", "2022-12-22")
    r.append({"comando": "liquidazione annulla", "liquidazione": "L2022/102", "importo": "20.000,00", "motivo": "nota di credito", "atto": "Det. 230/2022", "data": "2022-12-28"})
    # 2023: payments in conto residui, then the closing of 2022, then a riaccertamento.
    liq("L2023/1", "2022/101", "151.768,42", "Det. liq. 5/2023", "2023-02-10", "Rendiconto comuni IV trim.")
    paga("M2023/1", "L2023/1", "151.768,42", "2023-02-20")
    liq("L2023/2", "2022/103", "32.089,23", "Det. liq. 6/2023", "2023-02-10", "Fatt. 12/2023")
    paga("M2023/2", "L2023/2", "32.089,23", "2023-02-25")
    r.append({"comando": "chiudi", "esercizio": 2022, "atto": "Rendiconto 2022, Det. 60/2023", "data": "2023-04-28"})
    r.append({"comando": "residuo elimina", "impegno": "2022/104", "importo": "4.734,30", "motivo": "minore spesa accertata", "atto": "Det. 75/2023", "data": "2023-05-15"})
    imp("2023/1", "PDZ-2022-2024", "A1", 2023, "75.754,69", "Ente gestore PUA", "Segretariato sociale - PUA 2023", "Det. 3/2023", "2023-05-20")
    liq("L2023/10", "2023/1", "40.000,00", "Det. liq. 90/2023", "2023-09-30", "Fatt. 301/2023")
    paga("M2023/10", "L2023/10", "40.000,00", "2023-10-10")
    return r

def centesimi(testo):
    testo = testo.strip().replace(".", "")
    intero, _, dec = testo.partition(",")
    return int(intero) * 100 + int((dec + "00")[:2])

def euro(c):
    s = f"{c // 100:,}".replace(",", ".")
    return f"{s},{c % 100:02d}"

def main():
    righe = SEED.read_text(encoding="utf-8").splitlines()
    inizi = [i for i, r in enumerate(righe) if r.startswith("PROGRAMMAZIONE ECONOMICA")]
    assert len(inizi) == len(ORDINE), (len(inizi), len(ORDINE))
    programmazione = []  # (servizio, anno, fonte, centesimi)
    for servizio, inizio in zip(ORDINE, inizi):
        for riga in righe[inizio + 2: inizio + 6]:
            m = re.search(r"(20\d\d)\s+€\s*([\d.,]+)\s*(.*)$", riga)
            if not m:
                continue
            anno, totale, fonti = int(m[1]), centesimi(m[2]), m[3]
            if totale == 0:
                continue
            parti = re.findall(r"€\s*([\d.,]+)\s*([^+€]+)", fonti)
            if not parti:
                parti = [(m[2], fonti)]
            somma = 0
            for importo, etichetta in parti:
                c = centesimi(importo)
                somma += c
                programmazione.append((servizio, anno, fonte_di(etichetta, servizio), c))
            assert somma == totale, (servizio, anno, somma, totale)
    per_anno = {}
    for _, anno, _, c in programmazione:
        per_anno[anno] = per_anno.get(anno, 0) + c
    assert per_anno[2022] == 533042561, euro(per_anno[2022])
    per_fonte = {}
    for _, _, fonte, c in programmazione:
        per_fonte[fonte] = per_fonte.get(fonte, 0) + c
    out = []
    for codice, (tipo, annualita, descrizione, importo) in FONTI.items():
        importo = importo if importo is not None else per_fonte[codice]
        assert importo >= per_fonte.get(codice, 0), codice
        out.append({"comando": "fonte registra", "codice": codice, "tipo": tipo, "annualita": annualita,
                    "importo": euro(importo), "atto": "PdZ 2022-2024, approvato", "vincolata": True,
                    "descrizione": descrizione, "data": "2022-04-05"})
    # The residuo di finanziamento of the previous plan (FNA 2019-2020, chapter I.3) becomes the fonte
    # "RESIDUI PDZ 2018-2021" of the budget table: reduced on the old fonte, registered as the new one.
    out.insert(0, {"comando": "fonte riduci", "codice": "FNA-2019-2020", "importo": euro(RESIDUO),
                   "atto": "PdZ 2022-2024, quadro delle risorse", "data": "2022-04-05"})
    out.insert(1, {"comando": "fonte registra", "codice": "RESIDUI-PDZ-2018-2021", "tipo": "Residui PdZ", "annualita": 2021,
                   "importo": euro(RESIDUO), "atto": "PdZ 2022-2024, quadro delle risorse", "vincolata": True,
                   "descrizione": "Residui di finanziamento PdZ 2018-2021 (FNA 2019-2020)", "data": "2022-04-05"})
    for servizio, anno, fonte, c in programmazione:
        # The PdZ share of C2 (ADI) in 2022 is funded by the residui of FNA 2019-2020: same vincolo
        # (non autosufficienza), and the row total of the scheda is unchanged.
        if (servizio, anno, fonte) == ("C2", 2022, "PDZ-2022-2024"):
            fonte = "RESIDUI-PDZ-2018-2021"
        out.append({"comando": "programma", "fonte": fonte, "servizio": servizio, "esercizio": anno,
                    "importo": euro(c), "atto": f"PdZ 2022-2024, scheda {servizio}",
                    "data": "2022-04-05" if anno == 2022 else f"{anno}-01-10"})
    scrivi("casarano-00-servizi.jsonl", [
        {"comando": "servizio registra", "codice": codice, "descrizione": descrizione, "data": "2018-01-02"}
        for codice, descrizione in SERVIZI.items()])
    scrivi("casarano-01-pdz-2018-2021.jsonl", piano_precedente())
    scrivi("casarano-02-pdz-2022-2024.jsonl", out)
    scrivi("casarano-03-gestione-2022-2023.jsonl", gestione())
    for anno in sorted(per_anno):
        print(anno, euro(per_anno[anno]), file=sys.stderr)
    for f in sorted(per_fonte):
        print(f, euro(per_fonte[f]), file=sys.stderr)

main()
