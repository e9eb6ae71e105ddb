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
    "PDZ-2022-2024": ("PdZ", 2022, "Fondo unico di Ambito: FNPS, FNA, FGSA, cofinanziamento comunale, residui PdZ 2018-2021", 677472316),
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
                    "descrizione": descrizione, "data": "2022-03-15"})
    for codice, descrizione in SERVIZI.items():
        out.append({"comando": "servizio registra", "codice": codice, "descrizione": descrizione, "data": "2022-03-15"})
    for servizio, anno, fonte, c in programmazione:
        out.append({"comando": "programma", "fonte": fonte, "servizio": servizio, "esercizio": anno,
                    "importo": euro(c), "atto": f"PdZ 2022-2024, scheda {servizio}",
                    "data": "2022-03-15" if anno == 2022 else f"{anno}-01-10"})
    dest = Path(__file__).resolve().parent / "data/casarano-pdz-2022-2024.jsonl"
    dest.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out), encoding="utf-8")
    for anno in sorted(per_anno):
        print(anno, euro(per_anno[anno]), file=sys.stderr)
    for f in sorted(per_fonte):
        print(f, euro(per_fonte[f]), file=sys.stderr)

main()
