-- wrk: the API's mixed load (issue 11). Each request is a write with probability BANCO_SCRITTURE (default 0.1):
-- POST /api/v1/comandi recording an impegno of 0,01 with its own numero and Idempotency-Key; otherwise a GET
-- drawn uniformly from BANCO_LETTURE ('|'-separated paths). Per-route latency comes from the server's
-- /metriche (Scripts/bench-api), so this script only draws the mix.
local token = os.getenv("BANCO_TOKEN")
local modello = os.getenv("BANCO_IMPEGNO")
local quota = tonumber(os.getenv("BANCO_SCRITTURE") or "0.1")
local giro = os.getenv("BANCO_GIRO")
local letture = {}
for p in string.gmatch(os.getenv("BANCO_LETTURE"), "[^|]+") do table.insert(letture, p) end
local filo = 0
local prossimo = 0
local contatore = 0

function setup(thread)
  prossimo = prossimo + 1
  thread:set("filo", prossimo)
end

function init(args)
  math.randomseed(os.time() * 100 + filo)
end

request = function()
  contatore = contatore + 1
  if math.random() < quota then
    local n = giro .. "-" .. filo .. "-" .. contatore
    local corpo = string.gsub(modello, "NUMERO", n)
    return wrk.format("POST", "/api/v1/comandi", {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json",
                                                  ["Idempotency-Key"] = "k-" .. n}, corpo)
  end
  return wrk.format("GET", letture[math.random(#letture)], {["Authorization"] = "Bearer " .. token})
end
