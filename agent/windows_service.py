"""The agent as a Windows service (pywin32), running the daemon loop.

Installation on a PC (as an administrator), with Python and ``mutuparc[agent]`` installed::

    python -m agent.windows_service --startup auto install
    python -m agent.windows_service start

Settings are read from %ProgramData%\\Mutuparc\\agent.toml; state and spool live in
%ProgramData%\\Mutuparc\\agent. ``python -m agent.windows_service remove`` uninstalls.
A scheduled task running ``mutuparc-agent`` daily is the alternative where services are not wanted.
"""

from __future__ import annotations

import sys
import threading

import servicemanager  # type: ignore[import-not-found]
import win32event  # type: ignore[import-not-found]
import win32service  # type: ignore[import-not-found]
import win32serviceutil  # type: ignore[import-not-found]

from agent.config import load_config
from agent.service import run_forever


class MutuparcAgentService(win32serviceutil.ServiceFramework):  # pragma: no cover - needs Windows
    _svc_name_ = "MutuparcAgent"
    _svc_display_name_ = "Mutuparc inventory agent"
    _svc_description_ = "Inventories this PC for the shared IT service (Mutuparc)."

    def __init__(self, args) -> None:  # type: ignore[no-untyped-def]
        super().__init__(args)
        self.stop_event = threading.Event()
        self.wait_handle = win32event.CreateEvent(None, 0, 0, None)

    def SvcStop(self) -> None:  # noqa: N802 - pywin32's name
        self.ReportServiceStatus(win32service.SERVICE_STOP_PENDING)
        self.stop_event.set()
        win32event.SetEvent(self.wait_handle)

    def SvcDoRun(self) -> None:  # noqa: N802 - pywin32's name
        servicemanager.LogInfoMsg("Mutuparc agent started")
        run_forever(load_config(), stop=self.stop_event)


if __name__ == "__main__":  # pragma: no cover - needs Windows
    if len(sys.argv) == 1:
        servicemanager.Initialize()
        servicemanager.PrepareToHostSingle(MutuparcAgentService)
        servicemanager.StartServiceCtrlDispatcher()
    else:
        win32serviceutil.HandleCommandLine(MutuparcAgentService)
