# Build the one-folder LBPO Workbench bundle on Windows, then smoke-test it.
#
#   powershell -ExecutionPolicy Bypass -File packaging\build.ps1 [-Python C:\Python311\python.exe]
#
# Same steps as packaging/build.sh: a clean venv under build\bundle, PyInstaller pinned in
# packaging\constraints.txt, the project installed without its test extra, the spec, the size.
# Then a short smoke test: lbpo-workbench.exe --self-test (offscreen) and lbpo.exe info/demo.
# NOT RUN ON WINDOWS YET: written from the Linux script and PyInstaller's documentation.
param(
    [string]$Python = "python",
    [string]$BuildDir = (Join-Path $PSScriptRoot "..\build\bundle"),
    [switch]$SkipSmokeTest
)
$ErrorActionPreference = "Stop"
$here = $PSScriptRoot
$root = Resolve-Path (Join-Path $here "..")
New-Item -ItemType Directory -Force -Path $BuildDir | Out-Null
$BuildDir = Resolve-Path $BuildDir
$venv = Join-Path $BuildDir "venv"
$py = Join-Path $venv "Scripts\python.exe"
$constraints = Join-Path $here "constraints.txt"
$t0 = Get-Date

if (Test-Path $venv) { Remove-Item -Recurse -Force $venv }
& $Python -m venv $venv
if ($LASTEXITCODE) { throw "cannot create the venv with $Python" }
& $py -m pip install -q --upgrade pip
& $py -m pip install -q -c $constraints pyinstaller pyinstaller-hooks-contrib
& $py -m pip install -q -c $constraints "$root"
if ($LASTEXITCODE) { throw "pip install failed" }
$t1 = Get-Date

$dist = Join-Path $BuildDir "dist"
if (Test-Path $dist) { Remove-Item -Recurse -Force $dist }
$log = Join-Path $BuildDir "pyinstaller.log"
Push-Location $BuildDir
try {
    & $py -m PyInstaller --noconfirm --clean --distpath $dist --workpath (Join-Path $BuildDir "work") `
        (Join-Path $here "lbpo-workbench.spec") *> $log
    if ($LASTEXITCODE) { Get-Content $log -Tail 40; throw "PyInstaller failed (log: $log)" }
} finally { Pop-Location }
$t2 = Get-Date

$bundle = Join-Path $dist "lbpo-workbench"
$files = Get-ChildItem -Recurse -File $bundle
$mib = [math]::Round(($files | Measure-Object Length -Sum).Sum / 1MB)
Write-Host "bundle:  $bundle"
Write-Host "size:    $mib MiB ($($files.Count) files)"
Write-Host ("time:    venv+install {0:N0} s, PyInstaller {1:N0} s" -f ($t1 - $t0).TotalSeconds, ($t2 - $t1).TotalSeconds)
if ($SkipSmokeTest) { exit 0 }

# Smoke test. The GUI executable is windowed (no console): run it with Start-Process -Wait to get
# its exit code; its findings are in the --report file.
$work = Join-Path $BuildDir "smoke"
if (Test-Path $work) { Remove-Item -Recurse -Force $work }
New-Item -ItemType Directory -Path $work | Out-Null
$env:QT_QPA_PLATFORM = "offscreen"
$env:LBPO_SETTINGS_DIR = Join-Path $work "settings"
$env:LBPO_RECOVERY_DIR = Join-Path $work "recovery"
$env:LBPO_LOG_DIR = Join-Path $work "logs"
$report = Join-Path $work "selftest.json"
$saved = Join-Path $work "saved.lbpo"
$p = Start-Process -FilePath (Join-Path $bundle "lbpo-workbench.exe") -Wait -PassThru `
    -ArgumentList @("--self-test", "--report", "`"$report`"", "--save", "`"$saved`"")
if ($p.ExitCode -ne 0) { Get-Content $report -ErrorAction SilentlyContinue; throw "self-test failed ($($p.ExitCode))" }
Write-Host "ok   self-test"
$cli = Join-Path $bundle "lbpo.exe"
& $cli info --json $saved | Out-Null
if ($LASTEXITCODE) { throw "lbpo info on the saved project failed" }
& $cli demo --json (Join-Path $work "demo.lbpo") | Out-Null
if ($LASTEXITCODE) { throw "lbpo demo failed" }
$data = Join-Path $root "..\shared\data"
if (Test-Path $data) {
    foreach ($f in @("eis\impedance.py\exampleDataBioLogic.mpt", "echem\yadg-eclab\gcpl.issue_149.mpr", "xps\vamas\xps_eis.vms")) {
        & $cli info --json (Join-Path $data $f) | Out-Null
        if ($LASTEXITCODE) { throw "lbpo info $f failed" }
        Write-Host "ok   $f"
    }
}
Write-Host "smoke test OK"
