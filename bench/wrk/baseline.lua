dofile(os.getenv("WRK_DIR") .. "/common.lua")
