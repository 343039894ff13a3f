from mutuparc.cli import main

main()
